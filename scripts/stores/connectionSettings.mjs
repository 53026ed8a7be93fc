// What a client needs to reach the stores (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD,
// MONGODB_URI), and the per-checkout secret behind it: .data/stores.json (mode 0600).
import { randomBytes } from "node:crypto";
import { readJson, writeJson } from "./files.mjs";
import { P } from "./paths.mjs";
import { runningInfo } from "./processes.mjs";

export function loadState() {
  return readJson(P.state, {});
}

export function saveState(s) {
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

export function envFor(cfg, { createPassword = true } = {}) {
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
