// Our store processes: found by pid file or, without one, by a marker in their
// command line (/proc); stale pid files cleaned; stopped with SIGTERM, then SIGKILL.
import fs from "node:fs";
import path from "node:path";
import { exists, readJson, writeJson } from "./files.mjs";
import { secs, sleep } from "./log.mjs";
import { P, pidFile } from "./paths.mjs";

export function pidAlive(pid) {
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
export function findOurs(store) {
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

/** { pid, address, ... } of our running process for store, or null. Cleans stale pid files. */
export function running(store) {
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
export function runningInfo(store) {
  const info = readJson(pidFile(store), null);
  return info?.pid && isOurs(store, info.pid) ? info : null;
}

export async function stopPid(store, pid, timeoutMs) {
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
