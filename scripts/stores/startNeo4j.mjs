// Neo4j 5.26 Community + APOC core on loopback, data under .data/neo4j/, run as
// bin/neo4j would run it; or an external NEO4J_URI.
import path from "node:path";
import { envFor } from "./connectionSettings.mjs";
import { launchStore } from "./launchStore.mjs";
import { log, secs } from "./log.mjs";
import { checkJava, ensureNeo4jJars, setInitialPassword, writeNeo4jConf } from "./neo4jSetup.mjs";
import { P } from "./paths.mjs";
import { checkSameAddress, ensurePortFree } from "./ports.mjs";
import { running } from "./processes.mjs";
import { waitNeo4j } from "./readiness.mjs";

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

export async function startNeo4j(cfg) {
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
  const v = await ensureNeo4jJars();
  writeNeo4jConf(cfg);
  await setInitialPassword(java, creds.password);

  const t = Date.now();
  log(`neo4j: starting Neo4j ${v.neo4j} on ${creds.uri} (heap ${cfg.heap}, pagecache ${cfg.pagecache})…`);
  const { pid, ready } = await launchStore("neo4j", {
    cmd: java,
    args: [
      ...neo4jJvmArgs(cfg),
      "-cp",
      neo4jClasspath(),
      "org.neo4j.server.CommunityEntryPoint",
      `--home-dir=${P.neo4jHome}`,
      `--config-dir=${P.neo4jConf}`,
      "--console-mode",
    ],
    cwd: P.neo4jData,
    env: { ...process.env, NEO4J_HOME: P.neo4jHome, NEO4J_CONF: P.neo4jConf },
    logFile: P.neo4jConsole,
    record: {
      address: `127.0.0.1:${cfg.boltPort}`,
      uri: creds.uri,
      http: cfg.httpPort ? `http://127.0.0.1:${cfg.httpPort}` : null,
      version: v.neo4j,
    },
    waitReady: (child) => waitNeo4j(cfg, creds, { child, timeoutMs: cfg.neo4jTimeout, logFile: P.neo4jConsole, local: true }),
    stopTimeoutMs: 20000,
  });
  log(`neo4j: ready on ${creds.uri} (pid ${pid}, APOC ${ready.apoc}) (${secs(Date.now() - t)})`);
}
