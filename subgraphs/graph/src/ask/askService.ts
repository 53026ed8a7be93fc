/**
 * Asking the graph: question → interpretation → IR → Cypher scoped to the
 * tenant and the caller's clearance, checked on its parse tree, then (RUN) an EXPLAIN cost check and the query
 * itself in a read transaction with a timeout and a row cap. Weak questions
 * (confidence under the threshold) run only when the analyst confirms. Every
 * question is audited: the question, the Cypher's sha256 and the row count.
 */
import { createHash } from "node:crypto";
import type { Driver, ManagedTransaction } from "neo4j-driver";
import { z } from "zod";
import {
  appError,
  ErrorCode,
  requireUser,
  validateInput,
  type AuditRecorder,
  type AuthenticatedPrincipal,
  type BillingGuard,
  type Logger,
  type Principal,
  type UsageRecorder,
} from "@intelgraph/kit";
import { plain } from "../neo4jValues.ts";
import { markingsParam } from "../visibility.ts";
import { createAskTerms } from "./askTerms.ts";
import { checkCypher } from "./checkCypher.ts";
import { compileCypher, type CompiledCypher } from "./compileCypher.ts";
import { shownIds, touchedOf, type AskEdge, type AskNode } from "./touchedGraph.ts";
import { createGraphVocabulary, displayProperty, type GraphVocabulary } from "./graphVocabulary.ts";
import { interpretQuestion } from "./interpretQuestion.ts";
import { createValueLinker } from "./linkValues.ts";
import { withModel } from "./modelInterpretation.ts";
import { createModelProposer, type ModelSettings } from "./modelProposer.ts";
import { queryIrSchema } from "./queryIr.ts";

export interface AskServiceOptions {
  driver: Driver;
  database: string;
  audit: AuditRecorder;
  logger: Logger;
  /** Below this confidence RUN only previews until the analyst confirms. @default 0.7 */
  confidenceThreshold?: number;
  /** A tenant's vocabulary: the schema plus its approved ingest types (tenantVocabulary.ts); the schema's when not given. */
  vocabularyFor?: (tenantId: string) => Promise<GraphVocabulary>;
  /** A tenant's own threshold (tenantAskSettings.ts); `confidenceThreshold` when not given. */
  thresholdFor?: (tenantId: string) => Promise<number>;
  /** Longest a question's query may run, ms. @default 2000 */
  timeoutMs?: number;
  /** Most rows returned. @default 500 */
  rowCap?: number;
  /** Most rows any step of the plan may be estimated to produce (EXPLAIN). @default 1_000_000 */
  maxEstimatedRows?: number;
  /** The clock relative time ranges count back from, ms since the epoch. @default Date.now */
  now?: () => number;
  /** The optional model backend (NL_MODEL_URL): it may propose the IR, never Cypher. @default none */
  model?: ModelSettings;
  /** Metering: one NL_QUESTIONS event per question (and MODEL_TOKENS when a model answered), keyed by the request. */
  usage?: UsageRecorder;
  /** Quotas and budgets: a question needs NL_QUESTIONS quota; a RUN also needs budget (an expensive operation). */
  billing?: BillingGuard;
}

export interface AskAnswer {
  question: string;
  interpretation: string | null;
  cypher: string | null;
  parameters: Record<string, unknown> | null;
  confidence: number;
  reasons: string[];
  hints: string[];
  ran: boolean;
  needsConfirmation: boolean;
  columns: string[];
  rows: Array<Record<string, unknown>>;
  truncated: boolean;
  /** The nodes the returned rows were built from (RUN; see `touchedOf`). */
  nodes: AskNode[];
  /** The hops between those nodes. */
  edges: AskEdge[];
}

const askInput = z.object({
  question: z.string().trim().min(3, "ask a question of at least 3 characters").max(500, "at most 500 characters"),
  mode: z.enum(["PREVIEW", "RUN"]).default("PREVIEW"),
  confirm: z.boolean().nullish(),
});

/** The largest row estimate of any operator of an EXPLAIN plan. */
function largestEstimate(plan: { arguments?: Record<string, unknown>; children?: unknown[] } | false | undefined): number {
  if (!plan) return 0;
  const own = Number(plan.arguments?.["EstimatedRows"] ?? 0);
  return Math.max(own, ...(plan.children ?? []).map((c) => largestEstimate(c as typeof plan)));
}

/**
 * A Neo4j error of the sandbox as QUERY_TOO_EXPENSIVE: the transaction stopped
 * at the timeout (`…TransactionTimedOutClientConfiguration` in 5.x) or out of
 * transaction memory (`…MemoryPoolOutOfMemoryError`, `…TransactionOutOfMemoryError`).
 * Anything else is returned as it is.
 */
function sandboxError(error: unknown, timeoutMs: number): unknown {
  const code = String((error as { code?: unknown }).code);
  const narrow = "Narrow it: name a value, a kind of thing or a link.";
  if (/^Neo\.ClientError\.Transaction\.TransactionTimedOut/.test(code))
    return appError(
      ErrorCode.QUERY_TOO_EXPENSIVE,
      `This question took longer than the ${timeoutMs / 1000} s limit and was stopped (a read: nothing was changed). ${narrow}`,
      { reason: "TIMEOUT", timeoutMs },
    );
  if (/^Neo\.TransientError\.General\.\w*OutOfMemoryError$/.test(code))
    return appError(
      ErrorCode.QUERY_TOO_EXPENSIVE,
      `This question needed more memory than a question may use and was stopped (a read: nothing was changed). ${narrow}`,
      { reason: "MEMORY" },
    );
  return error;
}

export function createAskService(options: AskServiceOptions) {
  const {
    driver,
    database,
    audit,
    confidenceThreshold = 0.7,
    timeoutMs = 2000,
    rowCap = 500,
    maxEstimatedRows = 1_000_000,
    now = Date.now,
  } = options;
  const baseVocabulary = createGraphVocabulary();
  // Words are derived from a vocabulary once (a tenant's is cached, so it is the same object until it changes).
  const termsByVocabulary = new WeakMap<GraphVocabulary, ReturnType<typeof createAskTerms>>();
  const termsOf = (v: GraphVocabulary) => termsByVocabulary.get(v) ?? termsByVocabulary.set(v, createAskTerms(v)).get(v)!;
  const linker = createValueLinker({ driver, database });
  const proposer = options.model ? createModelProposer(options.model, baseVocabulary) : null;

  async function execute(compiled: CompiledCypher): Promise<Pick<AskAnswer, "rows" | "truncated" | "nodes" | "edges">> {
    const session = driver.session({ database, defaultAccessMode: "READ" });
    // Neo4j stops a transaction at the timeout; that, or running out of memory, is QUERY_TOO_EXPENSIVE,
    // thrown inside the work so the driver does not retry it (it retries transient errors for 30 s).
    const read = <T>(work: (tx: ManagedTransaction) => Promise<T>) =>
      session.executeRead((tx) => work(tx).catch((error: unknown) => Promise.reject(sandboxError(error, timeoutMs))), {
        timeout: timeoutMs,
      });
    try {
      const explained = await read((tx) => tx.run(`EXPLAIN ${compiled.cypher}`, compiled.params));
      const estimate = largestEstimate(explained.summary.plan);
      if (estimate > maxEstimatedRows)
        throw appError(
          ErrorCode.QUERY_TOO_EXPENSIVE,
          "This question would read too much of the graph. Narrow it: name a value, a kind of thing or a link.",
          { reason: "ESTIMATED_ROWS", estimatedRows: Math.round(estimate), maxEstimatedRows },
        );
      const plan = compiled.touched;
      const paths = plan.paths;
      const [result, pathRecords] = await read(async (tx) => {
        const main = await tx.run(compiled.cypher, compiled.params);
        const shown = shownIds(main.records.slice(0, rowCap), plan);
        const rest = paths ? (await tx.run(paths.cypher, { ...compiled.params, ...shown })).records : [];
        return [main, rest] as const;
      });
      const records = result.records.slice(0, rowCap);
      const rows = records.map((r) => Object.fromEntries(compiled.columns.map((c) => [c, plain(r.get(c))])));
      return { rows, truncated: result.records.length > rowCap, ...touchedOf(records, pathRecords, plan) };
    } catch (error) {
      throw sandboxError(error, timeoutMs);
    } finally {
      await session.close();
    }
  }

  async function record(caller: AuthenticatedPrincipal, requestId: string, args: Record<string, unknown>, errorCode: string | null) {
    await audit.record({
      tenantId: caller.tenantId,
      actor: { userId: caller.userId, kind: caller.kind, ...(caller.tokenId ? { tokenId: caller.tokenId } : {}) },
      action: "askGraph",
      service: "graph",
      targetType: "Question",
      targetIds: [],
      outcome: errorCode ? "failure" : "success",
      errorCode,
      requestId,
      arguments: args,
    });
  }

  return {
    async ask(principal: Principal, args: unknown, requestId: string): Promise<AskAnswer> {
      const caller = requireUser(principal);
      const input = validateInput(askInput, args);
      // Refused before any work when the month's questions (or, for a RUN, the budget) are used up.
      await options.billing?.check(caller.tenantId, "NL_QUESTIONS", { expensive: input.mode === "RUN" });
      const meter = (key: string, quantities: { NL_QUESTIONS?: number; MODEL_TOKENS?: number }) =>
        options.usage?.record({ tenantId: caller.tenantId, quantities, key: `${key}:${requestId}` });
      meter("ask", { NL_QUESTIONS: 1 });
      const vocabulary = options.vocabularyFor ? await options.vocabularyFor(caller.tenantId) : baseVocabulary;
      const interpreted = interpretQuestion(input.question, vocabulary, termsOf(vocabulary), { now: now() });
      const base = {
        question: input.question,
        columns: [],
        rows: [],
        truncated: false,
        ran: false,
        needsConfirmation: false,
        nodes: [],
        edges: [],
      };
      if (!interpreted.ok && "refusal" in interpreted) {
        await record(
          caller,
          requestId,
          { question: input.question, mode: input.mode, refused: interpreted.refusal.reason },
          ErrorCode.QUESTION_REFUSED,
        );
        throw appError(ErrorCode.QUESTION_REFUSED, interpreted.refusal.message, { reason: interpreted.refusal.reason });
      }
      // Refusals are the deterministic interpreter's alone; a model may then propose the plan (modelInterpretation.ts).
      const chosen = proposer
        ? await withModel(proposer, input.question, interpreted, vocabulary, caller.tenantId)
        : { interpretation: interpreted.ok ? interpreted.interpretation : null, note: null };
      const modelArgs = chosen.note ? { model: chosen.note } : {};
      if (chosen.note?.tokens?.total) meter("ask-model", { MODEL_TOKENS: chosen.note.tokens.total });
      if (!chosen.interpretation) {
        await record(caller, requestId, { question: input.question, mode: input.mode, interpreted: false, ...modelArgs }, null);
        const hints = interpreted.ok ? [] : interpreted.hints;
        return { ...base, interpretation: null, cypher: null, parameters: null, confidence: 0, reasons: [], hints };
      }
      const { ir, summary, confidence, reasons } = chosen.interpretation;
      const scope = { tenantId: caller.tenantId, markings: markingsParam(caller) };
      const compiled = compileCypher(ir, vocabulary, scope.tenantId, scope.markings);
      // The question's query and the read of what its rows touched: both must pass the check.
      const problems = [compiled.cypher, compiled.touched.paths?.cypher ?? ""].flatMap((c) => (c ? checkCypher(c, vocabulary) : []));
      if (problems.length) {
        options.logger.error({ cypher: compiled.cypher, problems }, "compiled Cypher failed its check; not run");
        throw appError(ErrorCode.INTERNAL_SERVER_ERROR, "This question could not be compiled safely; it was not run.");
      }
      const linked = await linker.hints(scope, queryIrSchema.parse(ir), (label) => displayProperty(vocabulary, label));
      const hints = [...chosen.interpretation.hints, ...linked];
      const answer: AskAnswer = {
        ...base,
        interpretation: summary,
        cypher: compiled.cypher,
        parameters: compiled.params,
        confidence,
        reasons,
        hints,
        columns: compiled.columns,
      };
      const cypherSha256 = createHash("sha256").update(compiled.cypher).digest("hex");
      const threshold = options.thresholdFor ? await options.thresholdFor(caller.tenantId) : confidenceThreshold;
      const weak = confidence < threshold && !input.confirm;
      if (input.mode === "PREVIEW" || weak) {
        await record(caller, requestId, { question: input.question, mode: input.mode, cypherSha256, ran: false, ...modelArgs }, null);
        return { ...answer, needsConfirmation: input.mode === "RUN" && weak };
      }
      try {
        const result = await execute(compiled);
        const counts = { rows: result.rows.length, nodes: result.nodes.length, edges: result.edges.length };
        await record(caller, requestId, { question: input.question, mode: input.mode, cypherSha256, ...counts, ...modelArgs }, null);
        return { ...answer, ran: true, ...result };
      } catch (error) {
        const code = (error as { extensions?: { code?: string } }).extensions?.code ?? "INTERNAL_SERVER_ERROR";
        await record(caller, requestId, { question: input.question, mode: input.mode, cypherSha256, ...modelArgs }, code);
        throw error;
      }
    },
  };
}

export type AskService = ReturnType<typeof createAskService>;
