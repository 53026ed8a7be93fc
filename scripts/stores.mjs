#!/usr/bin/env node
// Local stores for Summit IntelGraph: Neo4j 5.26 Community + APOC core (from
// Maven Central) and FerretDB 1.24 (SQLite handler, built from the Go module
// proxy), both on loopback, data under .data/, downloads/builds under .cache/.
//
//   node scripts/stores.mjs <start|stop|status|reset|env> [neo4j|ferretdb|all]
//
// Programmatic use (e.g. a test harness's global setup):
//   import { startStores, stopStores } from '../scripts/stores.mjs';
//   const env = await startStores();   // { NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, MONGODB_URI }
//
// Pinned versions live in scripts/stores/neo4j/pom.xml and
// scripts/stores/ferretdb/go.mod (+ go.sum); this file reads them from there.
//
// Files: .data/neo4j/ (conf, data, logs/console.log), .data/ferretdb/ (data,
// ferretdb.log), .data/{neo4j,ferretdb}.pid, .data/stores.json (generated Neo4j
// password, 0600), .data/stores.env.json (written by `start`). Caches:
// .cache/stores/neo4j/{lib,plugins}, .cache/stores/bin/ferretdb-intelgraph,
// each with a stamp file; ~/.m2 and the Go module cache are reused.
//
// Environment (all optional):
//   NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD  use an external Neo4j (no local one).
//     Without NEO4J_URI, NEO4J_PASSWORD (>= 8 chars) only seeds the local
//     password on first start; afterwards .data/stores.json is the truth.
//   MONGODB_URI                              use an external MongoDB (no local FerretDB)
//   NEO4J_BOLT_PORT=7687  NEO4J_HTTP_PORT (unset: HTTP connector disabled)
//   NEO4J_HEAP=1g  NEO4J_PAGECACHE=512m  NEO4J_JAVA_OPTS (extra JVM flags)
//   FERRETDB_PORT=27017
//   NEO4J_START_TIMEOUT=120  FERRETDB_START_TIMEOUT=60  (seconds)
//   JAVA_HOME (else `java` on PATH)

import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const SCRIPTS_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(SCRIPTS_DIR, "..");
const CACHE = path.join(ROOT, ".cache", "stores");
const DATA = path.join(ROOT, ".data");

const NEO4J_POM = path.join(SCRIPTS_DIR, "stores", "neo4j", "pom.xml");
const FERRET_SRC = path.join(SCRIPTS_DIR, "stores", "ferretdb");

const P = {
  neo4jHome: path.join(CACHE, "neo4j"),
  neo4jLib: path.join(CACHE, "neo4j", "lib"),
  neo4jPlugins: path.join(CACHE, "neo4j", "plugins"),
  neo4jStamp: path.join(CACHE, "neo4j", "stamp.json"),
  neo4jMavenLog: path.join(CACHE, "neo4j", "maven.log"),
  neo4jData: path.join(DATA, "neo4j"),
  neo4jConf: path.join(DATA, "neo4j", "conf"),
  neo4jDbData: path.join(DATA, "neo4j", "data"),
  neo4jLogs: path.join(DATA, "neo4j", "logs"),
  neo4jConsole: path.join(DATA, "neo4j", "logs", "console.log"),
  neo4jPid: path.join(DATA, "neo4j.pid"),
  ferretBin: path.join(CACHE, "bin", "ferretdb-intelgraph"),
  ferretStamp: path.join(CACHE, "bin", "ferretdb-intelgraph.stamp.json"),
  ferretBuildLog: path.join(CACHE, "bin", "ferretdb-build.log"),
  ferretData: path.join(DATA, "ferretdb"),
  ferretDbData: path.join(DATA, "ferretdb", "data"),
  ferretLog: path.join(DATA, "ferretdb", "ferretdb.log"),
  ferretPid: path.join(DATA, "ferretdb.pid"),
  state: path.join(DATA, "stores.json"),
  envJson: path.join(DATA, "stores.env.json"),
  lock: path.join(DATA, "stores.lock"),
};

const STORES = ["neo4j", "ferretdb"];

// ---------------------------------------------------------------- utilities

export class StoreError extends Error {}

let QUIET = false;
function log(msg) {
  if (!QUIET) process.stderr.write(`[stores] ${msg}\n`);
}
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const exists = (p) => fs.existsSync(p);
const sha256 = (...parts) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest("hex");
};

function readJson(file, fallback) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return fallback;
  }
}
function writeJson(file, obj, mode = 0o644) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(obj, null, 2) + "\n", { mode });
  fs.renameSync(tmp, file);
}

function tail(file, n = 20) {
  try {
    const buf = fs.readFileSync(file, "utf8");
    const lines = buf.split("\n");
    if (lines.at(-1) === "") lines.pop();
    return lines
      .slice(-n)
      .map((l) => (l.length > 400 ? l.slice(0, 400) + "…" : l))
      .join("\n");
  } catch {
    return "(log file not found)";
  }
}

function which(cmd) {
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    if (!dir) continue;
    const f = path.join(dir, cmd);
    try {
      fs.accessSync(f, fs.constants.X_OK);
      if (fs.statSync(f).isFile()) return f;
    } catch {
      /* keep looking */
    }
  }
  return null;
}

/** Run a command to completion with output appended to logFile; throw StoreError with a log tail on failure. */
function runLogged(cmd, args, { cwd, env, logFile, what }) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, "a");
  fs.writeSync(fd, `\n$ ${cmd} ${args.join(" ")}   # ${new Date().toISOString()}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", fd, fd] });
    child.on("error", (e) => {
      fs.closeSync(fd);
      reject(new StoreError(`${what} failed to run ${cmd}: ${e.message}`));
    });
    child.on("exit", (code, signal) => {
      fs.closeSync(fd);
      if (code === 0) resolve();
      else
        reject(
          new StoreError(
            `${what} failed (${cmd} exited with ${code ?? signal}). Log: ${logFile}\n` + `--- last lines ---\n${tail(logFile, 25)}`,
          ),
        );
    });
  });
}

// ------------------------------------------------------------ configuration

function intEnv(env, name, dflt) {
  const v = env[name];
  if (v === undefined || v === "") return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new StoreError(`${name}=${v} is not a positive integer`);
  return n;
}

function portEnv(env, name, dflt) {
  const n = intEnv(env, name, dflt);
  if (n > 65535) throw new StoreError(`${name}=${n} is not a valid TCP port`);
  return n;
}

function config(env = process.env) {
  return {
    env,
    neo4jExternal: env.NEO4J_URI || null,
    mongoExternal: env.MONGODB_URI || null,
    boltPort: portEnv(env, "NEO4J_BOLT_PORT", 7687),
    httpPort: env.NEO4J_HTTP_PORT ? portEnv(env, "NEO4J_HTTP_PORT", 7474) : null,
    heap: env.NEO4J_HEAP || "1g",
    pagecache: env.NEO4J_PAGECACHE || "512m",
    javaOpts: (env.NEO4J_JAVA_OPTS || "").split(/\s+/).filter(Boolean),
    ferretPort: portEnv(env, "FERRETDB_PORT", 27017),
    neo4jTimeout: intEnv(env, "NEO4J_START_TIMEOUT", 120) * 1000,
    ferretTimeout: intEnv(env, "FERRETDB_START_TIMEOUT", 60) * 1000,
  };
}

function pinned() {
  const pom = fs.readFileSync(NEO4J_POM, "utf8");
  const neo4j = /<neo4j\.version>([^<]+)</.exec(pom)?.[1];
  const apoc = /<apoc\.version>([^<]+)</.exec(pom)?.[1];
  const gomod = fs.readFileSync(path.join(FERRET_SRC, "go.mod"), "utf8");
  const ferretdb = /github\.com\/FerretDB\/FerretDB\s+(v\S+)/.exec(gomod)?.[1];
  if (!neo4j || !apoc || !ferretdb) throw new StoreError("cannot read pinned versions from scripts/stores/");
  return { neo4j, apoc, ferretdb };
}

// Secrets / per-checkout state: .data/stores.json (mode 0600).
function loadState() {
  return readJson(P.state, {});
}
function saveState(s) {
  writeJson(P.state, s, 0o600);
}
function neo4jPassword(cfg, { create = true } = {}) {
  const s = loadState();
  if (s.neo4j?.password) return s.neo4j.password;
  if (!create) return null;
  // First start: honour NEO4J_PASSWORD if given (and long enough), else random.
  const fromEnv = cfg.env.NEO4J_PASSWORD;
  const password = fromEnv && fromEnv.length >= 8 ? fromEnv : randomBytes(18).toString("hex"); // hex: a leading "-" would read as an option to neo4j-admin
  s.neo4j = { ...(s.neo4j || {}), password, createdAt: new Date().toISOString() };
  saveState(s);
  return password;
}

function envFor(cfg, { createPassword = true } = {}) {
  const out = {};
  if (cfg.neo4jExternal) {
    out.NEO4J_URI = cfg.neo4jExternal;
    out.NEO4J_USER = cfg.env.NEO4J_USER || "neo4j";
    out.NEO4J_PASSWORD = cfg.env.NEO4J_PASSWORD || "";
  } else {
    // A running local store's real address wins over the configured one.
    out.NEO4J_URI = runningInfo("neo4j")?.uri || `bolt://127.0.0.1:${cfg.boltPort}`;
    out.NEO4J_USER = "neo4j";
    out.NEO4J_PASSWORD = neo4jPassword(cfg, { create: createPassword }) ?? "";
  }
  out.MONGODB_URI = cfg.mongoExternal || runningInfo("ferretdb")?.uri || `mongodb://127.0.0.1:${cfg.ferretPort}/`;
  return out;
}

// ---------------------------------------------------------------- processes

function pidAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return e.code === "EPERM";
  }
  return true;
}

function cmdline(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  } catch {
    return null; // no /proc (macOS) or process gone
  }
}

// A marker in the command line that identifies *our* process for a store.
function isOurs(store, pid) {
  if (!pidAlive(pid)) return false;
  const argv = cmdline(pid);
  if (argv === null) return exists("/proc") ? false : true; // without /proc trust the pid
  if (argv.length === 0) return false; // zombie
  if (store === "neo4j") return argv.includes(`--home-dir=${P.neo4jHome}`);
  return path.basename(argv[0]) === path.basename(P.ferretBin) && argv.includes(P.ferretDbData);
}

// Processes of ours without (or with a stale) pid file, found via /proc.
function findOurs(store) {
  let entries;
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return [];
  }
  return entries
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((pid) => pid !== process.pid && isOurs(store, pid));
}

function pidFile(store) {
  return store === "neo4j" ? P.neo4jPid : P.ferretPid;
}

/** { pid, address, ... } of our running process for store, or null. Cleans stale pid files. */
function running(store) {
  const file = pidFile(store);
  const info = readJson(file, null);
  if (info?.pid && isOurs(store, info.pid)) return info;
  if (info) fs.rmSync(file, { force: true });
  const [pid] = findOurs(store);
  if (pid) {
    const adopted = { pid, address: null, adopted: true };
    writeJson(file, adopted);
    return adopted;
  }
  return null;
}

/** Pid-file info of our running process, without side effects (no cleanup/adoption). */
function runningInfo(store) {
  const info = readJson(pidFile(store), null);
  return info?.pid && isOurs(store, info.pid) ? info : null;
}

function checkSameAddress(store, cur, port, envVar, env) {
  const wanted = `127.0.0.1:${port}`;
  if (cur.address && cur.address !== wanted)
    throw new StoreError(
      `${store} is already running on ${cur.address} (pid ${cur.pid}), but ${envVar} ${env[envVar] ? "is set to" : "defaults to"} ${port}. ` +
        `Stop it first (\`node scripts/stores.mjs stop ${store}\`) or make ${envVar} match.`,
    );
}

function portFree(port, host = "127.0.0.1") {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once("error", (e) => resolve(e.code === "EADDRINUSE" || e.code === "EACCES" ? false : true));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

function portOpen(port, host = "127.0.0.1", timeout = 1000) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    const done = (v) => {
      s.destroy();
      resolve(v);
    };
    s.setTimeout(timeout, () => done(false));
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}

async function ensurePortFree(port, what, envVar) {
  if (!(await portFree(port))) {
    throw new StoreError(
      `port ${port} (${what}) on 127.0.0.1 is already in use by another process (not one started by this script).\n` +
        `  Stop that process, or pick another port: ${envVar}=<port> node scripts/stores.mjs start` +
        (which("ss") ? `\n  To see who holds it: ss -ltnp 'sport = :${port}'` : ""),
    );
  }
}

async function stopPid(store, pid, timeoutMs) {
  if (!pidAlive(pid)) return "not running";
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return "not running";
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isOurs(store, pid)) return "stopped";
    await sleep(250);
  }
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    /* gone */
  }
  for (let i = 0; i < 40 && isOurs(store, pid); i++) await sleep(250);
  return `killed (SIGKILL after ${secs(timeoutMs)})`;
}

// Simple cross-process lock so concurrent `start`s (e.g. parallel test workers) don't race.
async function withLock(fn) {
  fs.mkdirSync(DATA, { recursive: true });
  const deadline = Date.now() + 15 * 60 * 1000;
  let announced = false;
  for (;;) {
    try {
      fs.writeFileSync(P.lock, String(process.pid), { flag: "wx" });
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      const holder = Number(fs.readFileSync(P.lock, "utf8").trim() || 0);
      if (holder === process.pid || !pidAlive(holder)) {
        fs.rmSync(P.lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new StoreError(`timed out waiting for lock ${P.lock} (held by pid ${holder})`);
      if (!announced) log(`waiting for another stores.mjs (pid ${holder}) to finish…`);
      announced = true;
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    try {
      if (Number(fs.readFileSync(P.lock, "utf8")) === process.pid) fs.rmSync(P.lock, { force: true });
    } catch {
      /* ignore */
    }
  }
}

// ------------------------------------------------------------------- Neo4j

function javaBin(env) {
  if (env.JAVA_HOME) {
    const j = path.join(env.JAVA_HOME, "bin", "java");
    if (exists(j)) return j;
  }
  return which("java");
}

function checkJava(env) {
  const java = javaBin(env);
  const hint =
    "Neo4j 5.26 needs Java 17 or 21 (e.g. `apt-get install openjdk-17-jre-headless`, or set JAVA_HOME), " +
    "or set NEO4J_URI to use an external Neo4j.";
  if (!java) throw new StoreError(`Java not found (no $JAVA_HOME/bin/java, no \`java\` on PATH). ${hint}`);
  const r = spawnSync(java, ["-version"], { encoding: "utf8" });
  const out = `${r.stderr || ""}${r.stdout || ""}`;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(out);
  if (r.status !== 0 || !m) throw new StoreError(`could not run \`${java} -version\`: ${out.trim() || r.error?.message}. ${hint}`);
  let major = Number(m[1]);
  if (major === 1) major = Number(m[2]);
  if (major < 17) throw new StoreError(`Java ${major} at ${java} is too old. ${hint}`);
  if (major !== 17 && major !== 21) log(`neo4j: warning: Java ${major} is not a supported Neo4j 5.26 runtime (17 or 21); trying anyway`);
  return { java, major };
}

async function ensureNeo4jJars(cfg) {
  const v = pinned();
  const pomHash = sha256(fs.readFileSync(NEO4J_POM));
  const stamp = readJson(P.neo4jStamp, null);
  const ok =
    stamp?.pomHash === pomHash &&
    exists(path.join(P.neo4jLib, `neo4j-${v.neo4j}.jar`)) &&
    exists(path.join(P.neo4jPlugins, `apoc-core-${v.apoc}.jar`));
  if (ok) return v;
  const mvn = which("mvn");
  if (!mvn)
    throw new StoreError(
      "Maven (mvn) not found on PATH; it is needed once to fetch Neo4j + APOC jars from Maven Central " +
        "(e.g. `apt-get install maven`). Or set NEO4J_URI to use an external Neo4j.",
    );
  log(`neo4j: resolving Neo4j ${v.neo4j} + APOC ${v.apoc} from Maven Central (first run can take ~1 min)…`);
  const t = Date.now();
  fs.rmSync(P.neo4jLib, { recursive: true, force: true });
  fs.rmSync(P.neo4jPlugins, { recursive: true, force: true });
  fs.rmSync(P.neo4jStamp, { force: true });
  fs.mkdirSync(P.neo4jHome, { recursive: true });
  await runLogged(mvn, ["-B", "-q", "-Dstyle.color=never", "-f", NEO4J_POM, "package", `-Dstores.neo4j.home=${P.neo4jHome}`], {
    cwd: ROOT,
    env: { ...process.env, MAVEN_OPTS: process.env.MAVEN_OPTS || "" },
    logFile: P.neo4jMavenLog,
    what: "Maven (Neo4j jars)",
  });
  if (!exists(path.join(P.neo4jLib, `neo4j-${v.neo4j}.jar`)) || !exists(path.join(P.neo4jPlugins, `apoc-core-${v.apoc}.jar`)))
    throw new StoreError(`Maven finished but the expected jars are missing under ${P.neo4jHome}; see ${P.neo4jMavenLog}`);
  writeJson(P.neo4jStamp, { neo4j: v.neo4j, apoc: v.apoc, pomHash, at: new Date().toISOString() });
  const n = fs.readdirSync(P.neo4jLib).length;
  log(`neo4j: ${n} jars in ${path.relative(ROOT, P.neo4jLib)}, APOC in ${path.relative(ROOT, P.neo4jPlugins)} (${secs(Date.now() - t)})`);
  return v;
}

function writeNeo4jConf(cfg) {
  for (const d of [P.neo4jConf, P.neo4jDbData, P.neo4jLogs, path.join(P.neo4jData, "run"), path.join(P.neo4jData, "import")])
    fs.mkdirSync(d, { recursive: true });
  const lines = [
    "# Generated by scripts/stores.mjs on every start; edits are overwritten.",
    "server.default_listen_address=127.0.0.1",
    "server.default_advertised_address=127.0.0.1",
    "server.bolt.enabled=true",
    `server.bolt.listen_address=127.0.0.1:${cfg.boltPort}`,
    `server.bolt.advertised_address=127.0.0.1:${cfg.boltPort}`,
    `server.http.enabled=${cfg.httpPort ? "true" : "false"}`,
    ...(cfg.httpPort
      ? [`server.http.listen_address=127.0.0.1:${cfg.httpPort}`, `server.http.advertised_address=127.0.0.1:${cfg.httpPort}`]
      : []),
    "server.https.enabled=false",
    `server.directories.data=${P.neo4jDbData}`,
    `server.directories.logs=${P.neo4jLogs}`,
    `server.directories.run=${path.join(P.neo4jData, "run")}`,
    `server.directories.import=${path.join(P.neo4jData, "import")}`,
    `server.directories.lib=${P.neo4jLib}`,
    `server.directories.plugins=${P.neo4jPlugins}`,
    `server.memory.pagecache.size=${cfg.pagecache}`,
    "dbms.security.auth_enabled=true",
    "dbms.security.procedures.unrestricted=apoc.*",
    "dbms.usage_report.enabled=false",
    "",
  ];
  fs.writeFileSync(path.join(P.neo4jConf, "neo4j.conf"), lines.join("\n"));
}

function neo4jJvmArgs(cfg) {
  return [
    `-Xms${cfg.heap}`,
    `-Xmx${cfg.heap}`,
    // What bin/neo4j adds (server.jvm.additional defaults + bootloader flags):
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    ...cfg.javaOpts,
  ];
}

// Like bin/neo4j: plugins/ must be on the class path too, or APOC's kernel
// extensions (ApocConfig etc.) are not registered and procedure loading fails.
const neo4jClasspath = () => [path.join(P.neo4jPlugins, "*"), path.join(P.neo4jLib, "*")].join(path.delimiter);

async function setInitialPassword(cfg, java, password) {
  const systemDb = path.join(P.neo4jDbData, "databases", "system");
  if (exists(systemDb)) return false; // already initialised; password was set on its first start
  log("neo4j: first start, setting the initial password (stored in .data/stores.json)");
  await runLogged(
    java,
    ["-Xmx256m", "-cp", path.join(P.neo4jLib, "*"), "org.neo4j.cli.AdminTool", "dbms", "set-initial-password", "--", password],
    {
      cwd: P.neo4jData,
      env: { ...process.env, NEO4J_HOME: P.neo4jHome, NEO4J_CONF: P.neo4jConf },
      logFile: path.join(P.neo4jLogs, "admin.log"),
      what: "neo4j-admin dbms set-initial-password",
    },
  );
  return true;
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

function neo4jFatal(e) {
  const code = e?.code || "";
  return e?.fatal || code.startsWith("Neo.ClientError.Security");
}

async function waitNeo4j(cfg, creds, { child, timeoutMs, logFile, local }) {
  const deadline = Date.now() + timeoutMs;
  let exited = null;
  child?.on("exit", (code, sig) => (exited = code ?? sig));
  let lastErr;
  while (Date.now() < deadline) {
    if (local && (exited !== null || (child == null && !running("neo4j"))))
      throw new StoreError(
        `Neo4j exited during startup (${exited ?? "process gone"}). Log: ${logFile}\n--- last lines ---\n${tail(logFile)}`,
      );
    if (!local || (await portOpen(cfg.boltPort))) {
      try {
        return await neo4jProbe(creds, { requireApoc: local });
      } catch (e) {
        lastErr = e;
        if (neo4jFatal(e)) {
          const extra = local
            ? `\n  The data dir was probably initialised with another password. ` +
              `Run \`node scripts/stores.mjs reset neo4j\` to start from empty data.`
            : "\n  Check NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD.";
          throw new StoreError(`Neo4j at ${creds.uri} rejected the check: ${e.message}${extra}`);
        }
      }
    }
    await sleep(local ? 1000 : 2000);
  }
  const where = local ? `Log: ${logFile}\n--- last lines ---\n${tail(logFile)}` : "";
  throw new StoreError(
    `Neo4j at ${creds.uri} did not become ready within ${secs(timeoutMs)}` +
      (lastErr ? ` (last error: ${lastErr.message})` : "") +
      `. Raise NEO4J_START_TIMEOUT (seconds) if the machine is slow. ${where}`,
  );
}

async function startNeo4j(cfg) {
  const env = envFor(cfg);
  const creds = { uri: env.NEO4J_URI, user: env.NEO4J_USER, password: env.NEO4J_PASSWORD };
  if (cfg.neo4jExternal) {
    const t = Date.now();
    log(`neo4j: NEO4J_URI is set, using external ${cfg.neo4jExternal} (no local Neo4j)`);
    const r = await waitNeo4j(cfg, creds, { timeoutMs: cfg.neo4jTimeout, local: false });
    log(`neo4j: external server ready${r.apoc ? `, APOC ${r.apoc}` : ", WARNING: APOC not available"} (${secs(Date.now() - t)})`);
    return;
  }
  const cur = running("neo4j");
  if (cur) {
    checkSameAddress("neo4j", cur, cfg.boltPort, "NEO4J_BOLT_PORT", cfg.env);
    const t = Date.now();
    const r = await waitNeo4j(cfg, creds, { timeoutMs: cfg.neo4jTimeout, logFile: P.neo4jConsole, local: true });
    log(`neo4j: already running (pid ${cur.pid}, ${creds.uri}, APOC ${r.apoc}) (${secs(Date.now() - t)})`);
    return;
  }
  const { java } = checkJava(cfg.env);
  await ensurePortFree(cfg.boltPort, "Neo4j Bolt", "NEO4J_BOLT_PORT");
  if (cfg.httpPort) await ensurePortFree(cfg.httpPort, "Neo4j HTTP", "NEO4J_HTTP_PORT");
  const v = await ensureNeo4jJars(cfg);
  writeNeo4jConf(cfg);
  await setInitialPassword(cfg, java, creds.password);

  const t = Date.now();
  log(`neo4j: starting Neo4j ${v.neo4j} on ${creds.uri} (heap ${cfg.heap}, pagecache ${cfg.pagecache})…`);
  const fd = fs.openSync(P.neo4jConsole, "a");
  fs.writeSync(fd, `\n===== ${new Date().toISOString()} starting (scripts/stores.mjs) =====\n`);
  const args = [
    ...neo4jJvmArgs(cfg),
    "-cp",
    neo4jClasspath(),
    "org.neo4j.server.CommunityEntryPoint",
    `--home-dir=${P.neo4jHome}`,
    `--config-dir=${P.neo4jConf}`,
    "--console-mode",
  ];
  const child = spawn(java, args, {
    cwd: P.neo4jData,
    detached: true,
    stdio: ["ignore", fd, fd],
    env: { ...process.env, NEO4J_HOME: P.neo4jHome, NEO4J_CONF: P.neo4jConf },
  });
  fs.closeSync(fd);
  child.unref();
  writeJson(P.neo4jPid, {
    pid: child.pid,
    address: `127.0.0.1:${cfg.boltPort}`,
    uri: creds.uri,
    http: cfg.httpPort ? `http://127.0.0.1:${cfg.httpPort}` : null,
    version: v.neo4j,
    startedAt: new Date().toISOString(),
  });
  try {
    const r = await waitNeo4j(cfg, creds, { child, timeoutMs: cfg.neo4jTimeout, logFile: P.neo4jConsole, local: true });
    log(`neo4j: ready on ${creds.uri} (pid ${child.pid}, APOC ${r.apoc}) (${secs(Date.now() - t)})`);
  } catch (e) {
    log(`neo4j: stopping the failed server (pid ${child.pid})`);
    await stopPid("neo4j", child.pid, 20000);
    fs.rmSync(P.neo4jPid, { force: true });
    throw e;
  }
}

// ---------------------------------------------------------------- FerretDB

function ferretSourceHash() {
  return sha256(...["go.mod", "go.sum", "main.go"].map((f) => fs.readFileSync(path.join(FERRET_SRC, f))));
}

async function ensureFerretBinary() {
  const v = pinned();
  const srcHash = ferretSourceHash();
  const stamp = readJson(P.ferretStamp, null);
  if (stamp?.srcHash === srcHash && stamp.ferretdb === v.ferretdb && exists(P.ferretBin)) return v;
  const go = which("go");
  if (!go)
    throw new StoreError(
      "Go not found on PATH; it is needed once to build FerretDB (Go >= 1.24, https://go.dev/dl/ or `apt-get install golang`). " +
        "Or set MONGODB_URI to use an external MongoDB.",
    );
  log(`ferretdb: building FerretDB ${v.ferretdb} (SQLite handler) from the Go module proxy (first run can take ~2 min)…`);
  const t = Date.now();
  fs.mkdirSync(path.dirname(P.ferretBin), { recursive: true });
  const tmp = `${P.ferretBin}.tmp-${process.pid}`;
  await runLogged(go, ["build", "-o", tmp, "."], {
    cwd: FERRET_SRC,
    // Scoped to this build only: go.sum is checked in, so no sumdb lookups are needed;
    // pure-Go SQLite, so no C toolchain either.
    env: { ...process.env, GOFLAGS: "-mod=readonly -trimpath -buildvcs=false", CGO_ENABLED: "0", GOWORK: "off" },
    logFile: P.ferretBuildLog,
    what: "go build (FerretDB)",
  });
  fs.renameSync(tmp, P.ferretBin);
  writeJson(P.ferretStamp, { ferretdb: v.ferretdb, srcHash, at: new Date().toISOString() });
  log(`ferretdb: built ${path.relative(ROOT, P.ferretBin)} (${secs(Date.now() - t)})`);
  return v;
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

async function waitMongo(cfg, uri, { child, timeoutMs, logFile, local }) {
  const deadline = Date.now() + timeoutMs;
  let exited = null;
  child?.on("exit", (code, sig) => (exited = code ?? sig));
  let lastErr;
  while (Date.now() < deadline) {
    if (local && (exited !== null || (child == null && !running("ferretdb"))))
      throw new StoreError(
        `FerretDB exited during startup (${exited ?? "process gone"}). Log: ${logFile}\n--- last lines ---\n${tail(logFile)}`,
      );
    if (!local || (await portOpen(cfg.ferretPort))) {
      try {
        await mongoProbe(uri, { writeCheck: local });
        return;
      } catch (e) {
        lastErr = e;
        if (/auth/i.test(e.message) && !local)
          throw new StoreError(`MongoDB at ${uri} rejected the check: ${e.message}. Check MONGODB_URI.`);
      }
    }
    await sleep(500);
  }
  const where = local ? `Log: ${logFile}\n--- last lines ---\n${tail(logFile)}` : "";
  throw new StoreError(
    `MongoDB wire endpoint ${uri} did not become ready within ${secs(timeoutMs)}` +
      (lastErr ? ` (last error: ${lastErr.message})` : "") +
      `. Raise FERRETDB_START_TIMEOUT (seconds) if the machine is slow. ${where}`,
  );
}

async function startFerret(cfg) {
  const uri = envFor(cfg).MONGODB_URI;
  if (cfg.mongoExternal) {
    const t = Date.now();
    log(`ferretdb: MONGODB_URI is set, using external MongoDB (no local FerretDB)`);
    await waitMongo(cfg, uri, { timeoutMs: cfg.ferretTimeout, local: false });
    log(`ferretdb: external MongoDB ready (${secs(Date.now() - t)})`);
    return;
  }
  const cur = running("ferretdb");
  if (cur) {
    checkSameAddress("ferretdb", cur, cfg.ferretPort, "FERRETDB_PORT", cfg.env);
    const t = Date.now();
    await waitMongo(cfg, uri, { timeoutMs: cfg.ferretTimeout, logFile: P.ferretLog, local: true });
    log(`ferretdb: already running (pid ${cur.pid}, ${uri}) (${secs(Date.now() - t)})`);
    return;
  }
  await ensurePortFree(cfg.ferretPort, "FerretDB / MongoDB wire protocol", "FERRETDB_PORT");
  const v = await ensureFerretBinary();
  fs.mkdirSync(P.ferretDbData, { recursive: true });
  const t = Date.now();
  log(`ferretdb: starting FerretDB ${v.ferretdb} on ${uri}…`);
  const fd = fs.openSync(P.ferretLog, "a");
  fs.writeSync(fd, `\n===== ${new Date().toISOString()} starting (scripts/stores.mjs) =====\n`);
  const child = spawn(P.ferretBin, ["-listen-addr", `127.0.0.1:${cfg.ferretPort}`, "-data-dir", P.ferretDbData], {
    cwd: P.ferretData,
    detached: true,
    stdio: ["ignore", fd, fd],
  });
  fs.closeSync(fd);
  child.unref();
  writeJson(P.ferretPid, {
    pid: child.pid,
    address: `127.0.0.1:${cfg.ferretPort}`,
    uri,
    version: v.ferretdb,
    startedAt: new Date().toISOString(),
  });
  try {
    await waitMongo(cfg, uri, { child, timeoutMs: cfg.ferretTimeout, logFile: P.ferretLog, local: true });
    log(`ferretdb: ready on ${uri} (pid ${child.pid}) (${secs(Date.now() - t)})`);
  } catch (e) {
    log(`ferretdb: stopping the failed server (pid ${child.pid})`);
    await stopPid("ferretdb", child.pid, 10000);
    fs.rmSync(P.ferretPid, { force: true });
    throw e;
  }
}

// -------------------------------------------------------------- public API

function selection(only) {
  if (!only || only === "all") return STORES;
  const list = (Array.isArray(only) ? only : [only]).map((s) => (s === "mongodb" || s === "mongo" ? "ferretdb" : s));
  for (const s of list) if (!STORES.includes(s)) throw new StoreError(`unknown store "${s}" (expected neo4j, ferretdb or all)`);
  return list;
}

/**
 * Start (fetching/building on first use) the selected stores and wait until they are ready.
 * @param {{ only?: 'all'|'neo4j'|'ferretdb'|string[], quiet?: boolean, env?: Record<string,string|undefined> }} [opts]
 * @returns {Promise<{NEO4J_URI:string, NEO4J_USER:string, NEO4J_PASSWORD:string, MONGODB_URI:string}>}
 *   also written to .data/stores.env.json
 */
export async function startStores(opts = {}) {
  const prevQuiet = QUIET;
  QUIET = !!opts.quiet;
  try {
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
  } finally {
    QUIET = prevQuiet;
  }
}

/**
 * Readiness is checked with the real drivers, which come from the workspace's install.
 * Without them every probe fails the same way and start would wait out its whole timeout
 * before blaming the store; say what is missing before anything is started.
 */
async function requireProbeDrivers(stores) {
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

/**
 * Stop the selected local stores (SIGTERM, then SIGKILL after a timeout).
 * @param {{ only?: 'all'|'neo4j'|'ferretdb'|string[], quiet?: boolean }} [opts]
 * @returns {Promise<Record<string,string>>} per store: 'stopped' | 'not running' | 'killed (…)'
 */
export async function stopStores(opts = {}) {
  const prevQuiet = QUIET;
  QUIET = !!opts.quiet;
  try {
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
  } finally {
    QUIET = prevQuiet;
  }
}

/**
 * @returns {Promise<Record<'neo4j'|'ferretdb', {state:'running'|'stopped'|'external', pid:number|null, address:string|null, listening?:boolean, uri:string}>>}
 */
export async function storesStatus(opts = {}) {
  const cfg = config(opts.env || process.env);
  const env = envFor(cfg, { createPassword: false });
  const out = {};
  for (const store of selection(opts.only)) {
    const external = store === "neo4j" ? cfg.neo4jExternal : cfg.mongoExternal;
    const uri = store === "neo4j" ? env.NEO4J_URI : env.MONGODB_URI;
    const info = running(store);
    if (info) {
      const address = info.address || `127.0.0.1:${store === "neo4j" ? cfg.boltPort : cfg.ferretPort}`;
      const port = Number(address.split(":").pop());
      out[store] = { state: "running", pid: info.pid, address, listening: await portOpen(port), uri: info.uri || uri };
      if (info.http) out[store].http = info.http;
    } else if (external) {
      out[store] = { state: "external", pid: null, address: null, uri: external };
    } else {
      out[store] = { state: "stopped", pid: null, address: null, uri };
    }
  }
  return out;
}

/** Connection settings (without starting anything). */
export function storesEnv(opts = {}) {
  return envFor(config(opts.env || process.env));
}

/**
 * Stop the selected stores and delete their data (not the download/build caches).
 * @returns {Promise<string[]>} deleted paths
 */
export async function resetStores(opts = {}) {
  const prevQuiet = QUIET;
  QUIET = !!opts.quiet;
  try {
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
  } finally {
    QUIET = prevQuiet;
  }
}

// -------------------------------------------------------------------- CLI

const USAGE = `usage: node scripts/stores.mjs <start|stop|status|reset|env> [neo4j|ferretdb|all]`;

async function main(argv) {
  const [cmd, only = "all", ...rest] = argv;
  if (rest.length || !cmd) throw new StoreError(USAGE);
  switch (cmd) {
    case "start":
      await startStores({ only });
      return 0;
    case "stop":
      await stopStores({ only });
      return 0;
    case "restart":
      await stopStores({ only });
      await startStores({ only });
      return 0;
    case "status": {
      const st = await storesStatus({ only });
      for (const [store, s] of Object.entries(st)) {
        if (s.state === "running")
          console.log(
            `${store.padEnd(8)} running  pid ${s.pid}  ${s.uri}${s.http ? `  (http ${s.http})` : ""}${s.listening ? "" : "  (not listening yet)"}`,
          );
        else if (s.state === "external") console.log(`${store.padEnd(8)} external ${s.uri}`);
        else console.log(`${store.padEnd(8)} stopped  ${s.uri}`);
      }
      return 0;
    }
    case "reset":
      await resetStores({ only });
      return 0;
    case "env": {
      const env = storesEnv();
      for (const [k, v] of Object.entries(env)) console.log(`${k}=${v}`);
      return 0;
    }
    case "-h":
    case "--help":
    case "help":
      console.log(USAGE);
      return 0;
    default:
      throw new StoreError(USAGE);
  }
}

const isMain = process.argv[1] && pathToFileURL(fs.realpathSync(process.argv[1])).href === import.meta.url;
if (isMain) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      if (e instanceof StoreError) process.stderr.write(`[stores] ERROR: ${e.message}\n`);
      else process.stderr.write(`[stores] ERROR (unexpected): ${e?.stack || e}\n`);
      process.exit(1);
    },
  );
}
