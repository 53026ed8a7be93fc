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
// scripts/stores/ferretdb/go.mod (+ go.sum); scripts/stores/config.mjs reads them.
// This file is the CLI and the public API; the work is in scripts/stores/, one
// concern a file: paths, config, connectionSettings (password, URIs), processes
// (pids, stop), withLock, ports, readiness (driver probes), neo4jSetup (Java, jars,
// conf), startNeo4j, startFerret, launchStore, and one file per command.
// Only node: built-ins are imported up front; the drivers load lazily, so the
// script runs (and says what is missing) before `pnpm install`.
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

import fs from "node:fs";
import { pathToFileURL } from "node:url";
import { StoreError } from "./stores/log.mjs";
import { startStores } from "./stores/startStores.mjs";
import { resetStores, stopStores } from "./stores/stopStores.mjs";
import { storesEnv, storesStatus } from "./stores/storesStatus.mjs";

export { StoreError, startStores, stopStores, storesStatus, storesEnv, resetStores };

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
