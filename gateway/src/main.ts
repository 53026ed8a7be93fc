/**
 * Composition root: the only place that reads the environment (through
 * loadConfig) or writes it (APOLLO_TELEMETRY_DISABLED).
 *
 *   tsx gateway/src/main.ts                     all-in-one (gateway + six subgraphs)
 *   tsx gateway/src/main.ts --service graph     split mode: one subgraph on its port
 *   tsx gateway/src/main.ts --service gateway   split mode: the gateway alone
 *   tsx gateway/src/main.ts --service ingest-worker   an ingest worker alone (scale ingest apart)
 *   add --seed-demo to create the demo tenant (all-in-one and governance)
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createLogger, loadConfig } from "@intelgraph/kit";
import { platformConfigSchema, type PlatformConfig } from "./platformConfig.ts";
import { createIngestWorkerProcess } from "@intelgraph/subgraph-graph";
import { connectStores, createAllInOne, createServiceDeps, createSplitGateway, createSubgraph } from "./platform.ts";
import { ingestSettings } from "./platformSettings.ts";
import { seedDemo, seedDemoData } from "./seedDemo.ts";
import { SUBGRAPHS, type SubgraphName } from "./subgraphCatalog.ts";

// @apollo/gateway otherwise exports usage metrics to Apollo and probes cloud
// metadata endpoints (AWS/GCP/Azure) at start. The platform never phones home;
// the library reads this switch only from the environment, when a gateway is built.
process.env["APOLLO_TELEMETRY_DISABLED"] = "true";

const { values } = parseArgs({
  options: { service: { type: "string" }, "seed-demo": { type: "boolean", default: false } },
});

let config: PlatformConfig;
try {
  config = loadConfig(platformConfigSchema, process.env);
} catch (error) {
  console.error((error as Error).message);
  console.error("See docs/architecture.md#environment for every variable.");
  process.exit(2);
}
const logger = createLogger({ name: values.service ?? "intelgraph", level: config.LOG_LEVEL });
/** The built analyst console (scripts/start.sh builds it); served at `/` when present. */
const consoleDir = fileURLToPath(new URL("../../clients/web/dist/", import.meta.url));

async function seed(governance: Parameters<typeof seedDemo>[0]) {
  const { DEMO_PASSWORD: demo, OPERATOR_PASSWORD: operator } = config;
  if (!demo || !operator) throw new Error("--seed-demo needs DEMO_PASSWORD and OPERATOR_PASSWORD (scripts/start.sh sets them)");
  return seedDemo(governance, { demo, operator });
}

async function run(): Promise<() => Promise<void>> {
  const service = values.service;
  if (!service) {
    const withConsole = existsSync(`${consoleDir}index.html`);
    const platform = await createAllInOne({ config, logger, port: config.GATEWAY_PORT, ...(withConsole ? { consoleDir } : {}) });
    const lines = [`IntelGraph (all-in-one) is up: ${platform.url}`];
    lines.push(withConsole ? `  console:  ${new URL("/", platform.url).href}` : "  console:  not built (node scripts/console.mjs build)");
    if (values["seed-demo"]) {
      const accounts = await seed(platform.governance);
      const jobs = await seedDemoData(platform.url, accounts.demoAdmin).catch((error: Error) => {
        logger.warn({ err: error }, "loading the demo sample packs failed");
        return null;
      });
      lines.push(
        `  demo tenant admin:  ${accounts.demoAdmin.email} / ${accounts.demoAdmin.password}`,
        `  platform operator:  ${accounts.operator.email} / ${accounts.operator.password}`,
        `  sign in:  curl -s ${platform.url} -H 'content-type: application/json' \\`,
        `    -d '{"query":"mutation { login(email: \\"${accounts.demoAdmin.email}\\", password: \\"…\\") { token } }"}'`,
        jobs === null
          ? "  demo data:  the sample packs could not be loaded (see the log)"
          : jobs.length
            ? `  demo data:  ingesting ${jobs.length} sample packs (people, threat feed, STIX bundle) into the demo tenant`
            : "  demo data:  already loaded",
      );
    }
    console.log(lines.join("\n"));
    return platform.stop;
  }

  const stores = await connectStores(config);
  if (service === "ingest-worker") {
    const deps = await createServiceDeps(config, stores, logger);
    const worker = await createIngestWorkerProcess({
      ...deps,
      driver: stores.driver,
      database: config.NEO4J_DATABASE,
      ingest: ingestSettings(config, stores.mongo.db),
    });
    worker.start();
    console.log(`IntelGraph ingest worker ${worker.id} is up`);
    return async () => {
      await worker.stop();
      await deps.usage.close();
      await deps.pubsub.close();
      await stores.close();
    };
  }
  if (service === "gateway") {
    const gateway = await createSplitGateway({ config, logger, port: config.GATEWAY_PORT, stores });
    console.log(`IntelGraph gateway (split) is up: ${gateway.url}`);
    return async () => {
      await gateway.stop();
      await stores.close();
    };
  }
  const entry = SUBGRAPHS.find((s) => s.name === service);
  if (!entry) throw new Error(`--service must be gateway, ingest-worker or one of ${SUBGRAPHS.map((s) => s.name).join(", ")}`);
  const deps = await createServiceDeps(config, stores, logger);
  const server = await createSubgraph(entry.name as SubgraphName, deps, stores, config);
  const port = config[`SUBGRAPH_PORT_${entry.name.toUpperCase()}` as `SUBGRAPH_PORT_${Uppercase<SubgraphName>}`];
  const url = await server.listen(port ?? entry.port, config.HOST);
  if (values["seed-demo"] && "governance" in server) {
    const accounts = await seed(server.governance as Parameters<typeof seedDemo>[0]);
    console.log(`demo tenant admin: ${accounts.demoAdmin.email} / ${accounts.demoAdmin.password}`);
    console.log(`platform operator: ${accounts.operator.email} / ${accounts.operator.password}`);
  }
  deps.scheduler.start();
  console.log(`IntelGraph ${entry.name} subgraph is up: ${url}`);
  return async () => {
    await deps.scheduler.stop();
    await server.stop();
    await deps.usage.close();
    await deps.pubsub.close();
    await stores.close();
  };
}

try {
  const stop = await run();
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      logger.error("shutdown did not finish within 15 s; exiting anyway");
      process.exit(1);
    }, 15_000);
    timer.unref();
    try {
      await stop();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, "shutdown failed");
      console.error(`Shutdown failed: ${(error as Error).message}`);
      process.exit(1);
    }
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
} catch (error) {
  logger.fatal({ err: error }, "failed to start");
  console.error(`Failed to start: ${(error as Error).message}`);
  process.exit(1);
}
