// `start`: fetch/build on first use, start the selected stores side by side and wait until ready.
import path from "node:path";
import { config, selection } from "./config.mjs";
import { envFor } from "./connectionSettings.mjs";
import { writeJson } from "./files.mjs";
import { log, secs, StoreError, withQuiet } from "./log.mjs";
import { P, ROOT } from "./paths.mjs";
import { requireProbeDrivers } from "./readiness.mjs";
import { startFerret } from "./startFerret.mjs";
import { startNeo4j } from "./startNeo4j.mjs";
import { withLock } from "./withLock.mjs";

/**
 * Start (fetching/building on first use) the selected stores and wait until they are ready.
 * @param {{ only?: 'all'|'neo4j'|'ferretdb'|string[], quiet?: boolean, env?: Record<string,string|undefined> }} [opts]
 * @returns {Promise<{NEO4J_URI:string, NEO4J_USER:string, NEO4J_PASSWORD:string, MONGODB_URI:string}>}
 *   also written to .data/stores.env.json
 */
export function startStores(opts = {}) {
  return withQuiet(opts.quiet, async () => {
    const cfg = config(opts.env || process.env);
    const which_ = selection(opts.only);
    await requireProbeDrivers(which_);
    const t = Date.now();
    return await withLock(async () => {
      const jobs = [];
      if (which_.includes("neo4j")) jobs.push(startNeo4j(cfg));
      if (which_.includes("ferretdb")) jobs.push(startFerret(cfg));
      const results = await Promise.allSettled(jobs);
      const errors = results.filter((r) => r.status === "rejected").map((r) => r.reason);
      if (errors.length) {
        if (errors.length === 1) throw errors[0];
        throw new StoreError(errors.map((e) => e.message).join("\n\n"));
      }
      const env = envFor(cfg);
      writeJson(P.envJson, env, 0o600);
      log(`ready in ${secs(Date.now() - t)}; connection settings in ${path.relative(ROOT, P.envJson)}`);
      return env;
    });
  });
}
