/**
 * ask: compile rate, execution accuracy and compile time of askGraph on the
 * seed set (seedQuestions.json, ≥ 200 questions over the sample packs).
 *
 * Starts an all-in-one platform on the running stores (started when down),
 * ingests the four sample packs into a fresh tenant through the API (mapping,
 * approval, job, upload, worker), then asks every seed question through the
 * gateway in RUN mode (confirmed, so weak questions run too) and compares the
 * rows with the expected result (seedAnswers.ts). Compile time is measured in
 * process: interpretation, IR → Cypher and the parse-tree check, without the
 * tenant's value lookups.
 *
 * Writes bench/results/ask.{json,md}; exits 1 when the compile rate is below
 * 95 % or the accuracy below 90 % (DESIGN.md's targets).
 *
 *   pnpm bench:ask      ROUNDS=3 KEEP=0 LOG_LEVEL=warn
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createLogger } from "@intelgraph/kit";
import { createAllInOne, type AllInOnePlatform } from "@intelgraph/gateway";
import { checkCypher, compileCypher, createAskTerms, createGraphVocabulary, interpretQuestion } from "@intelgraph/subgraph-graph";
import {
  benchConfig,
  benchSettings,
  benchTenant,
  gqlResponse,
  machine,
  machineLine,
  percentile,
  removeBenchData,
  resultsDir,
  round2,
  unlimitedRateLimits,
} from "../lib.ts";
import { ingestSamplePacks } from "./ingestSamplePacks.ts";
import { answerMismatch, seedQuestions } from "./seedAnswers.ts";

const { ROUNDS: rounds, KEEP: keep, LOG_LEVEL: logLevel } = benchSettings({ ROUNDS: 3, KEEP: false, LOG_LEVEL: "warn" });
const ASK = `query($q: String!) { askGraph(question: $q, mode: RUN, confirm: true) { interpretation cypher confidence columns rows truncated ran } }`;

const vocabulary = createGraphVocabulary();
const terms = createAskTerms(vocabulary);

/** Interprets, compiles and checks `question`; true when it yields Cypher that passes the check. */
function compiles(question: string): boolean {
  const interpreted = interpretQuestion(question, vocabulary, terms, { now: Date.now() });
  if (!interpreted.ok) return false;
  return checkCypher(compileCypher(interpreted.interpretation.ir, vocabulary, "bench").cypher, vocabulary).length === 0;
}

const config = await benchConfig("bench_ask");
let platform: AllInOnePlatform | undefined;
let tenantId: string | undefined;
let exitCode = 0;
try {
  platform = await createAllInOne({
    config,
    logger: createLogger({ name: "bench-ask", level: logLevel }),
    port: 0,
    rateLimits: unlimitedRateLimits,
  });
  const tenant = await benchTenant(platform, "bench-ask");
  tenantId = tenant.tenantId;
  const expected = JSON.parse(readFileSync(new URL("../../subgraphs/graph/samples/expected.json", import.meta.url), "utf8")) as Record<
    string,
    { recordsWritten: number }
  >;
  const written = await ingestSamplePacks(platform.url, tenant.token);
  for (const [pack, n] of Object.entries(written))
    if (n !== expected[pack]!.recordsWritten) throw new Error(`${pack}: ${n} records written, expected ${expected[pack]!.recordsWritten}`);

  const outcomes: Array<{
    id: string;
    category: string;
    question: string;
    compiled: boolean;
    correct: boolean;
    confidence: number | null;
    ms: number;
    cypher: string | null;
    mismatch?: string;
  }> = [];
  for (const s of seedQuestions) {
    const t0 = performance.now();
    const res = await gqlResponse<{
      askGraph: { cypher: string | null; columns: string[]; rows: Array<Record<string, unknown>>; ran: boolean; confidence: number };
    }>(platform.url, ASK, { q: s.question }, tenant.token);
    const ms = performance.now() - t0;
    const answer = res.data?.askGraph;
    const compiled = !!answer?.cypher;
    const mismatch = res.errors?.length
      ? `error ${res.errors[0]!.extensions?.code}: ${res.errors[0]!.message}`
      : !answer?.ran
        ? "did not run"
        : answerMismatch(s.expect, answer.columns, answer.rows);
    outcomes.push({
      id: s.id,
      category: s.category,
      question: s.question,
      compiled,
      correct: mismatch === null,
      confidence: answer?.confidence ?? null,
      ms: round2(ms),
      cypher: answer?.cypher ?? null,
      ...(mismatch ? { mismatch } : {}),
    });
  }

  // Compile time: every question ROUNDS times after one warm-up pass (after the asks: a long
  // synchronous loop before them let the gateway close the idle keep-alive socket).
  seedQuestions.forEach((s) => compiles(s.question));
  const compileMs: number[] = [];
  for (let round = 0; round < rounds; round++)
    for (const s of seedQuestions) {
      const t0 = performance.now();
      compiles(s.question);
      compileMs.push(performance.now() - t0);
    }

  const n = outcomes.length;
  const compileRate = outcomes.filter((o) => o.compiled).length / n;
  const accuracy = outcomes.filter((o) => o.correct).length / n;
  if (compileRate < 0.95 || accuracy < 0.9) exitCode = 1;
  const byCategory = Object.fromEntries(
    [...new Set(outcomes.map((o) => o.category))].map((c) => {
      const of = outcomes.filter((o) => o.category === c);
      return [c, { questions: of.length, compiled: of.filter((o) => o.compiled).length, correct: of.filter((o) => o.correct).length }];
    }),
  );
  const m = machine();
  const result = {
    bench: "ask",
    at: new Date().toISOString(),
    machine: m,
    questions: n,
    compileRate: round2(compileRate * 100) / 100,
    accuracy: round2(accuracy * 100) / 100,
    compileMs: {
      p50: round2(percentile(compileMs, 50)),
      p95: round2(percentile(compileMs, 95)),
      max: round2(Math.max(...compileMs)),
      samples: compileMs.length,
    },
    askMs: {
      p50: round2(
        percentile(
          outcomes.map((o) => o.ms),
          50,
        ),
      ),
      p95: round2(
        percentile(
          outcomes.map((o) => o.ms),
          95,
        ),
      ),
    },
    byCategory,
    wrong: outcomes.filter((o) => !o.correct),
    outcomes,
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, "ask.json"), JSON.stringify(result, null, 2) + "\n");
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const md = `# ask: the seed set

Run ${result.at} on ${machineLine(m)} (load average ${m.loadAverage.join(" / ")} at the end).
${n} questions over the four sample packs, ingested once each into a fresh tenant through the API; each asked
through the gateway in RUN mode (confirmed) and compared with its expected result (bench/ask/seedAnswers.ts).

| measure | value |
| --- | --- |
| compile rate (interpreted, compiled and passed the parse-tree check) | **${pct(compileRate)}** (target ≥ 95 %) |
| execution accuracy (result equals expected) | **${pct(accuracy)}** (target ≥ 90 %) |
| compile time p50 / p95 / max (in process, ${compileMs.length} samples) | ${result.compileMs.p50} / **${result.compileMs.p95}** / ${result.compileMs.max} ms |
| askGraph round trip p50 / p95 (gateway, RUN) | ${result.askMs.p50} / ${result.askMs.p95} ms |

| category | questions | compiled | correct |
| --- | --- | --- | --- |
${Object.entries(byCategory)
  .map(([c, v]) => `| ${c} | ${v.questions} | ${v.compiled} | ${v.correct} |`)
  .join("\n")}

${result.wrong.length ? `Wrong or not compiled:\n\n${result.wrong.map((o) => `- ${o.id} “${o.question}”: ${o.mismatch}`).join("\n")}\n` : "Every question answered as expected.\n"}`;
  writeFileSync(join(resultsDir, "ask.md"), md);
  console.log(md);
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  await platform?.stop().catch((error) => console.error("stop failed:", error));
  if (!keep) await removeBenchData(config, tenantId).catch((error) => console.error("clean-up failed:", error));
}
process.exit(exitCode);
