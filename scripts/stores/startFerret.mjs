// FerretDB (SQLite handler): built once from the Go module proxy into .cache/stores/bin/,
// then started on loopback with its data in .data/ferretdb/; or an external MONGODB_URI.
import fs from "node:fs";
import path from "node:path";
import { runLogged, which } from "./commands.mjs";
import { pinned } from "./config.mjs";
import { envFor } from "./connectionSettings.mjs";
import { exists, readJson, sha256, writeJson } from "./files.mjs";
import { launchStore } from "./launchStore.mjs";
import { log, secs, StoreError } from "./log.mjs";
import { FERRET_SRC, P, ROOT } from "./paths.mjs";
import { checkSameAddress, ensurePortFree } from "./ports.mjs";
import { running } from "./processes.mjs";
import { waitMongo } from "./readiness.mjs";

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

export async function startFerret(cfg) {
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
  const { pid } = await launchStore("ferretdb", {
    cmd: P.ferretBin,
    args: ["-listen-addr", `127.0.0.1:${cfg.ferretPort}`, "-data-dir", P.ferretDbData],
    cwd: P.ferretData,
    logFile: P.ferretLog,
    record: { address: `127.0.0.1:${cfg.ferretPort}`, uri, version: v.ferretdb },
    waitReady: (child) => waitMongo(cfg, uri, { child, timeoutMs: cfg.ferretTimeout, logFile: P.ferretLog, local: true }),
    stopTimeoutMs: 10000,
  });
  log(`ferretdb: ready on ${uri} (pid ${pid}) (${secs(Date.now() - t)})`);
}
