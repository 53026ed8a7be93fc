// `stop` and `reset`: stop the selected local stores; reset also deletes their data
// (not the download/build caches).
import fs from "node:fs";
import path from "node:path";
import { selection } from "./config.mjs";
import { loadState, saveState } from "./connectionSettings.mjs";
import { exists } from "./files.mjs";
import { log, secs, withQuiet } from "./log.mjs";
import { P, pidFile, ROOT } from "./paths.mjs";
import { findOurs, running, stopPid } from "./processes.mjs";

/**
 * Stop the selected local stores (SIGTERM, then SIGKILL after a timeout).
 * @param {{ only?: 'all'|'neo4j'|'ferretdb'|string[], quiet?: boolean }} [opts]
 * @returns {Promise<Record<string,string>>} per store: 'stopped' | 'not running' | 'killed (…)'
 */
export function stopStores(opts = {}) {
  return withQuiet(opts.quiet, async () => {
    const out = {};
    await Promise.all(
      selection(opts.only).map(async (store) => {
        const t = Date.now();
        const pids = new Set(findOurs(store));
        const info = running(store);
        if (info) pids.add(info.pid);
        if (pids.size === 0) {
          out[store] = "not running";
          log(`${store}: not running`);
        } else {
          const timeout = store === "neo4j" ? 60000 : 15000;
          for (const pid of pids) {
            log(`${store}: stopping pid ${pid}…`);
            out[store] = await stopPid(store, pid, timeout);
          }
          log(`${store}: ${out[store]} (${secs(Date.now() - t)})`);
        }
        fs.rmSync(pidFile(store), { force: true });
      }),
    );
    return out;
  });
}

/**
 * Stop the selected stores and delete their data (not the download/build caches).
 * @returns {Promise<string[]>} deleted paths
 */
export function resetStores(opts = {}) {
  return withQuiet(opts.quiet, async () => {
    const list = selection(opts.only);
    await stopStores({ only: list, quiet: opts.quiet });
    const deleted = [];
    const rm = (p) => {
      if (exists(p)) {
        fs.rmSync(p, { recursive: true, force: true });
        deleted.push(p);
      }
    };
    if (list.includes("neo4j")) {
      rm(P.neo4jData);
      rm(P.neo4jPid);
      const s = loadState();
      if (s.neo4j) {
        delete s.neo4j;
        if (Object.keys(s).length) saveState(s);
        else fs.rmSync(P.state, { force: true });
        deleted.push(`${P.state} (neo4j password)`);
      }
    }
    if (list.includes("ferretdb")) {
      rm(P.ferretData);
      rm(P.ferretPid);
    }
    rm(P.envJson);
    for (const d of deleted) log(`deleted ${path.relative(ROOT, d) || d}`);
    if (!deleted.length) log("nothing to delete");
    return deleted;
  });
}
