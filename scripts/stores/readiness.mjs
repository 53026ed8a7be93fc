// Is a store ready? Checked with the real drivers (loaded lazily: this script runs
// before `pnpm install`): Neo4j answers RETURN 1 (and has APOC when local), the
// MongoDB wire endpoint answers ping (and a write round trip when local).
import { randomBytes } from "node:crypto";
import { tail } from "./files.mjs";
import { secs, sleep, StoreError } from "./log.mjs";
import { portOpen } from "./ports.mjs";
import { running } from "./processes.mjs";

/**
 * Readiness is checked with the real drivers, which come from the workspace's install.
 * Without them every probe fails the same way and start would wait out its whole timeout
 * before blaming the store; say what is missing before anything is started.
 */
export async function requireProbeDrivers(stores) {
  const needed = [];
  if (stores.includes("neo4j")) needed.push("neo4j-driver");
  if (stores.includes("ferretdb")) needed.push("mongodb");
  const missing = [];
  for (const name of needed) {
    try {
      await import(name);
    } catch (e) {
      if (e?.code === "ERR_MODULE_NOT_FOUND") missing.push(name);
      else throw e;
    }
  }
  if (missing.length)
    throw new StoreError(
      `${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not installed, and readiness is checked with ${missing.length > 1 ? "them" : "it"}. ` +
        "Run `pnpm install` first (npm start and npm test do it for you).",
    );
}

async function neo4jProbe({ uri, user, password }, { requireApoc }) {
  const { default: neo4j } = await import("neo4j-driver");
  const driver = neo4j.driver(uri, neo4j.auth.basic(user, password), {
    connectionTimeout: 3000,
    connectionAcquisitionTimeout: 5000,
    maxConnectionPoolSize: 1,
    disableLosslessIntegers: true,
  });
  try {
    const session = driver.session({ defaultAccessMode: neo4j.session.READ });
    try {
      const one = await session.run("RETURN 1 AS one");
      if (one.records[0]?.get("one") !== 1) throw new Error("RETURN 1 did not return 1");
      try {
        const r = await session.run("RETURN apoc.version() AS v");
        return { apoc: r.records[0].get("v") };
      } catch (e) {
        if (requireApoc) throw Object.assign(new Error(`APOC is not available: ${e.message}`), { fatal: true });
        return { apoc: null };
      }
    } finally {
      await session.close();
    }
  } finally {
    await driver.close();
  }
}

async function mongoProbe(uri, { writeCheck }) {
  const { MongoClient } = await import("mongodb");
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000 });
  try {
    await client.connect();
    await client.db("admin").command({ ping: 1 });
    if (writeCheck) {
      const db = client.db("stores_readiness");
      const token = randomBytes(6).toString("hex");
      await db.collection("probe").insertOne({ token, at: new Date() });
      const got = await db.collection("probe").findOne({ token });
      if (got?.token !== token) throw new Error("insert/find round trip failed");
      await db.dropDatabase();
    }
  } finally {
    await client.close().catch(() => {});
  }
}

/**
 * Probes until the store answers, it exits (local only), a probe fails in a way waiting
 * cannot fix (`rejection` returns the message), or the timeout passes.
 */
async function waitUntilReady(store, { child, timeoutMs, logFile, local }) {
  const deadline = Date.now() + timeoutMs;
  let exited = null;
  child?.on("exit", (code, sig) => (exited = code ?? sig));
  let lastErr;
  while (Date.now() < deadline) {
    if (local && (exited !== null || (child == null && !running(store.name))))
      throw new StoreError(
        `${store.title} exited during startup (${exited ?? "process gone"}). Log: ${logFile}\n--- last lines ---\n${tail(logFile)}`,
      );
    if (!local || (await portOpen(store.port))) {
      try {
        return await store.probe();
      } catch (e) {
        lastErr = e;
        const rejected = store.rejection(e);
        if (rejected) throw new StoreError(rejected);
      }
    }
    await sleep(store.pollMs);
  }
  const where = local ? `Log: ${logFile}\n--- last lines ---\n${tail(logFile)}` : "";
  throw new StoreError(
    `${store.endpoint} did not become ready within ${secs(timeoutMs)}` +
      (lastErr ? ` (last error: ${lastErr.message})` : "") +
      `. Raise ${store.timeoutVar} (seconds) if the machine is slow. ${where}`,
  );
}

/** @returns {Promise<{ apoc: string | null }>} */
export function waitNeo4j(cfg, creds, opts) {
  const { local } = opts;
  const fatal = (e) => e?.fatal || (e?.code || "").startsWith("Neo.ClientError.Security");
  const neo4j = {
    name: "neo4j",
    title: "Neo4j",
    endpoint: `Neo4j at ${creds.uri}`,
    timeoutVar: "NEO4J_START_TIMEOUT",
    port: cfg.boltPort,
    pollMs: local ? 1000 : 2000,
    probe: () => neo4jProbe(creds, { requireApoc: local }),
    rejection: (e) => {
      if (!fatal(e)) return null;
      const extra = local
        ? `\n  The data dir was probably initialised with another password. ` +
          `Run \`node scripts/stores.mjs reset neo4j\` to start from empty data.`
        : "\n  Check NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD.";
      return `Neo4j at ${creds.uri} rejected the check: ${e.message}${extra}`;
    },
  };
  return waitUntilReady(neo4j, opts);
}

export async function waitMongo(cfg, uri, opts) {
  const { local } = opts;
  const ferretdb = {
    name: "ferretdb",
    title: "FerretDB",
    endpoint: `MongoDB wire endpoint ${uri}`,
    timeoutVar: "FERRETDB_START_TIMEOUT",
    port: cfg.ferretPort,
    pollMs: 500,
    probe: () => mongoProbe(uri, { writeCheck: local }),
    rejection: (e) => (/auth/i.test(e.message) && !local ? `MongoDB at ${uri} rejected the check: ${e.message}. Check MONGODB_URI.` : null),
  };
  await waitUntilReady(ferretdb, opts);
}
