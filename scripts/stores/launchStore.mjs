// Starting a local store's process: detached (it outlives this script), its output
// appended to its log, recorded in its pid file, and stopped again if it never gets ready.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { writeJson } from "./files.mjs";
import { log } from "./log.mjs";
import { pidFile } from "./paths.mjs";
import { stopPid } from "./processes.mjs";

/**
 * @param {string} store "neo4j" | "ferretdb"
 * @param {{ cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv, logFile: string,
 *   record: object, waitReady: (child: import("node:child_process").ChildProcess) => Promise<unknown>, stopTimeoutMs: number }} how
 *   env unset: this process's; record: what the pid file says besides pid and startedAt.
 * @returns {Promise<{ pid: number, ready: unknown }>} ready: what waitReady resolved with
 */
export async function launchStore(store, { cmd, args, cwd, env, logFile, record, waitReady, stopTimeoutMs }) {
  const fd = fs.openSync(logFile, "a");
  fs.writeSync(fd, `\n===== ${new Date().toISOString()} starting (scripts/stores.mjs) =====\n`);
  const child = spawn(cmd, args, { cwd, detached: true, stdio: ["ignore", fd, fd], env });
  fs.closeSync(fd);
  child.unref();
  writeJson(pidFile(store), { pid: child.pid, ...record, startedAt: new Date().toISOString() });
  try {
    return { pid: child.pid, ready: await waitReady(child) };
  } catch (e) {
    log(`${store}: stopping the failed server (pid ${child.pid})`);
    await stopPid(store, child.pid, stopTimeoutMs);
    fs.rmSync(pidFile(store), { force: true });
    throw e;
  }
}
