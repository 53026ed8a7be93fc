/**
 * `pnpm policy:coverage`: every operation of the API (schema/api.graphql) and
 * the rule that covers it; exits 1 when any operation has none or a policy
 * names an operation that no longer exists.
 */
import { readFileSync } from "node:fs";
import { buildSchema } from "graphql";
import { policyCoverage } from "../coverage.ts";

const api = buildSchema(readFileSync(new URL("../../../schema/api.graphql", import.meta.url), "utf8"));
const { covered, uncovered, stale } = policyCoverage(api);
const width = Math.max(...covered.map((c) => c.operation.length), ...uncovered.map((u) => u.length));
for (const { operation, rule } of covered) console.log(`${operation.padEnd(width)}  ${rule}`);
for (const operation of uncovered) console.log(`${operation.padEnd(width)}  UNCOVERED (denied)`);
for (const operation of stale) console.log(`${operation.padEnd(width)}  STALE (no such operation)`);
const total = covered.length + uncovered.length;
console.log(`\n${covered.length}/${total} operations covered (${((100 * covered.length) / total).toFixed(1)}%), ${stale.length} stale`);
if (uncovered.length || stale.length) process.exit(1);
