// The stores' settings, read from the environment in one pass (ports, memory,
// timeouts, external stores), the pinned versions, and which stores a command names.
import fs from "node:fs";
import path from "node:path";
import { StoreError } from "./log.mjs";
import { FERRET_SRC, NEO4J_POM, STORES } from "./paths.mjs";

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

export function config(env = process.env) {
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

export function pinned() {
  const pom = fs.readFileSync(NEO4J_POM, "utf8");
  const neo4j = /<neo4j\.version>([^<]+)</.exec(pom)?.[1];
  const apoc = /<apoc\.version>([^<]+)</.exec(pom)?.[1];
  const gomod = fs.readFileSync(path.join(FERRET_SRC, "go.mod"), "utf8");
  const ferretdb = /github\.com\/FerretDB\/FerretDB\s+(v\S+)/.exec(gomod)?.[1];
  if (!neo4j || !apoc || !ferretdb) throw new StoreError("cannot read pinned versions from scripts/stores/");
  return { neo4j, apoc, ferretdb };
}

/** The stores a command names: all, one, or a list ("mongo"/"mongodb" mean ferretdb). */
export function selection(only) {
  if (!only || only === "all") return STORES;
  const list = (Array.isArray(only) ? only : [only]).map((s) => (s === "mongodb" || s === "mongo" ? "ferretdb" : s));
  for (const s of list) if (!STORES.includes(s)) throw new StoreError(`unknown store "${s}" (expected neo4j, ferretdb or all)`);
  return list;
}
