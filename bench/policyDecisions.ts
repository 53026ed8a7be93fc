/**
 * Policy decision latency, in process: the pure decision (`decide`) and a
 * whole root field run through graphql-shield (`protectSchema`) against the
 * same field unprotected. Writes bench/results/policy-decisions.{json,md}.
 *
 *   pnpm bench:policy            (ITERATIONS=200000 by default)
 */
import { writeFileSync, mkdirSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { execute, parse, type DocumentNode } from "graphql";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { decide, OPERATIONS, protectSchema } from "@intelgraph/policies";
import type { Principal } from "@intelgraph/kit";

const iterations = Number(process.env["ITERATIONS"] ?? 200_000);
const analyst: Principal = { kind: "user", tenantId: "t", userId: "u", roles: ["ANALYST"], scopes: [] };
const viewer: Principal = { ...analyst, roles: ["VIEWER"] };

function percentiles(samples: Float64Array) {
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1]! };
}

function time(n: number, fn: (i: number) => unknown): Float64Array {
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    fn(i);
    samples[i] = Number(process.hrtime.bigint() - start) / 1e6; // ms
  }
  return samples;
}

// Warm up the JIT, then measure.
const ops = ["Query.people", "Mutation.createPeople", "Query.auditEvents", "Query.usage"];
time(20_000, (i) => decide(i % 2 ? analyst : viewer, OPERATIONS[ops[i % ops.length]!], ops[i % ops.length]!));
const decideMs = percentiles(
  time(iterations, (i) => decide(i % 2 ? analyst : viewer, OPERATIONS[ops[i % ops.length]!], ops[i % ops.length]!)),
);

const schema = makeExecutableSchema({
  typeDefs: `type Query { people: [Int!]! } type Mutation { createPeople: Int! }`,
  resolvers: { Query: { people: () => [1, 2, 3] }, Mutation: { createPeople: () => 1 } },
});
const protectedSchema = protectSchema(schema);
const query: DocumentNode = parse(`{ people }`);
const run = async (s: typeof schema, n: number) => {
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    await execute({ schema: s, document: query, contextValue: { principal: analyst } });
    samples[i] = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return percentiles(samples);
};
const fieldIterations = Math.floor(iterations / 4);
await run(schema, 5_000);
await run(protectedSchema, 5_000);
const bare = await run(schema, fieldIterations);
const shielded = await run(protectedSchema, fieldIterations);

const result = {
  when: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  iterations,
  unit: "ms",
  decide: decideMs,
  rootFieldExecution: { unprotected: bare, shielded, iterations: fieldIterations },
  target: { decisionP95Ms: 1, met: decideMs.p95 <= 1 && shielded.p95 - bare.p95 <= 1 },
};
const dir = new URL("./results/", import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL("policy-decisions.json", dir), `${JSON.stringify(result, null, 2)}\n`);
const fmt = (p: { p50: number; p95: number; p99: number }) =>
  `p50 ${(p.p50 * 1000).toFixed(1)} µs, p95 ${(p.p95 * 1000).toFixed(1)} µs, p99 ${(p.p99 * 1000).toFixed(1)} µs`;
const summary = `# Policy decisions (${result.when})

Machine: ${result.machine.cpus} cores (${result.machine.cpuModel}), ${result.machine.memoryGiB} GiB, Node ${result.machine.node}. Noisy shared 2-core machine: compare ratios, not absolutes.

- \`decide\` (${iterations} decisions): ${fmt(decideMs)}
- one root field, unprotected (${fieldIterations} runs): ${fmt(bare)}
- same field behind graphql-shield: ${fmt(shielded)} (p50 ratio ${(shielded.p50 / bare.p50).toFixed(2)}x)
- target p95 ≤ 1 ms: ${result.target.met ? "met" : "NOT met"}
`;
writeFileSync(new URL("policy-decisions.md", dir), summary);
console.log(summary);
