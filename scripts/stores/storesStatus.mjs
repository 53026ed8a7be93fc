// `status` and `env`: what runs where, and the connection settings, without starting anything.
import { config, selection } from "./config.mjs";
import { envFor } from "./connectionSettings.mjs";
import { portOpen } from "./ports.mjs";
import { running } from "./processes.mjs";

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
