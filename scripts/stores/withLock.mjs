// A simple cross-process lock so concurrent `start`s (e.g. parallel test workers) don't race.
import fs from "node:fs";
import { log, sleep, StoreError } from "./log.mjs";
import { DATA, P } from "./paths.mjs";
import { pidAlive } from "./processes.mjs";

export async function withLock(fn) {
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
