// Where the stores live on disk: the pinned sources beside this file, data under
// .data/ and downloads/builds under .cache/stores/ in the checkout.
import path from "node:path";
import { fileURLToPath } from "node:url";

const STORES_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(STORES_DIR, "..", "..");
const CACHE = path.join(ROOT, ".cache", "stores");
export const DATA = path.join(ROOT, ".data");

export const NEO4J_POM = path.join(STORES_DIR, "neo4j", "pom.xml");
export const FERRET_SRC = path.join(STORES_DIR, "ferretdb");

export const P = {
  neo4jHome: path.join(CACHE, "neo4j"),
  neo4jLib: path.join(CACHE, "neo4j", "lib"),
  neo4jPlugins: path.join(CACHE, "neo4j", "plugins"),
  neo4jStamp: path.join(CACHE, "neo4j", "stamp.json"),
  neo4jMavenLog: path.join(CACHE, "neo4j", "maven.log"),
  neo4jData: path.join(DATA, "neo4j"),
  neo4jConf: path.join(DATA, "neo4j", "conf"),
  neo4jDbData: path.join(DATA, "neo4j", "data"),
  neo4jLogs: path.join(DATA, "neo4j", "logs"),
  neo4jConsole: path.join(DATA, "neo4j", "logs", "console.log"),
  neo4jPid: path.join(DATA, "neo4j.pid"),
  ferretBin: path.join(CACHE, "bin", "ferretdb-intelgraph"),
  ferretStamp: path.join(CACHE, "bin", "ferretdb-intelgraph.stamp.json"),
  ferretBuildLog: path.join(CACHE, "bin", "ferretdb-build.log"),
  ferretData: path.join(DATA, "ferretdb"),
  ferretDbData: path.join(DATA, "ferretdb", "data"),
  ferretLog: path.join(DATA, "ferretdb", "ferretdb.log"),
  ferretPid: path.join(DATA, "ferretdb.pid"),
  state: path.join(DATA, "stores.json"),
  envJson: path.join(DATA, "stores.env.json"),
  lock: path.join(DATA, "stores.lock"),
};

export const STORES = ["neo4j", "ferretdb"];

export function pidFile(store) {
  return store === "neo4j" ? P.neo4jPid : P.ferretPid;
}
