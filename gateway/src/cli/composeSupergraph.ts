/**
 * `pnpm compose` writes schema/<subgraph>.graphql, schema/supergraph.graphql and
 * schema/api.graphql (the client-facing schema, for graphql-codegen);
 * `pnpm compose --check` exits 1 when the checked-in files are stale.
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { composeSupergraph } from "../composeSupergraph.ts";

const schemaDir = fileURLToPath(new URL("../../../schema/", import.meta.url));
const check = process.argv.includes("--check");

const { supergraphSdl, apiSdl, subgraphs } = await composeSupergraph();
const files = [
  ...subgraphs.map((s) => ({ path: `${schemaDir}${s.name}.graphql`, text: s.sdl })),
  { path: `${schemaDir}supergraph.graphql`, text: supergraphSdl },
  { path: `${schemaDir}api.graphql`, text: apiSdl },
];

let stale = 0;
for (const file of files) {
  const current = await readFile(file.path, "utf8").catch(() => null);
  const wanted = file.text.endsWith("\n") ? file.text : `${file.text}\n`;
  if (current === wanted) continue;
  if (check) {
    stale++;
    console.error(`stale: ${file.path}`);
  } else {
    await writeFile(file.path, wanted);
    console.log(`wrote ${file.path}`);
  }
}
if (check && stale) {
  console.error(`${stale} schema file(s) are stale; run \`pnpm compose\` and commit the result.`);
  process.exit(1);
}
if (check) console.log("schema/ is up to date with the subgraphs");
