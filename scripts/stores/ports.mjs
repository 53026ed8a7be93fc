// Ports on loopback: free before a store starts (else who to ask), open once it runs,
// and the same as configured when a store is already running.
import net from "node:net";
import { which } from "./commands.mjs";
import { StoreError } from "./log.mjs";

function portFree(port, host = "127.0.0.1") {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once("error", (e) => resolve(e.code === "EADDRINUSE" || e.code === "EACCES" ? false : true));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

export function portOpen(port, host = "127.0.0.1", timeout = 1000) {
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

export async function ensurePortFree(port, what, envVar) {
  if (!(await portFree(port))) {
    throw new StoreError(
      `port ${port} (${what}) on 127.0.0.1 is already in use by another process (not one started by this script).\n` +
        `  Stop that process, or pick another port: ${envVar}=<port> node scripts/stores.mjs start` +
        (which("ss") ? `\n  To see who holds it: ss -ltnp 'sport = :${port}'` : ""),
    );
  }
}

export function checkSameAddress(store, cur, port, envVar, env) {
  const wanted = `127.0.0.1:${port}`;
  if (cur.address && cur.address !== wanted)
    throw new StoreError(
      `${store} is already running on ${cur.address} (pid ${cur.pid}), but ${envVar} ${env[envVar] ? "is set to" : "defaults to"} ${port}. ` +
        `Stop it first (\`node scripts/stores.mjs stop ${store}\`) or make ${envVar} match.`,
    );
}
