/**
 * The optional model backend (NL_MODEL_URL, an OpenAI-compatible chat
 * completions endpoint). The model is shown the graph vocabulary and the shape
 * of the query IR and asked for the IR as JSON — never Cypher: what it returns
 * is parsed with `queryIrSchema` and compiled by the same `compileCypher` and
 * checked by the same `checkCypher` as the deterministic interpreter's IR, so a
 * model cannot name a label outside the schema, write, call a procedure or
 * drop the tenant predicate. Anything it gets wrong (no answer in time, not
 * JSON, not a valid IR, names outside the schema) is a reason to fall back to
 * the deterministic interpreter, never an error for the analyst.
 */
import type { GraphVocabulary } from "./graphVocabulary.ts";
import { queryIrSchema, type QueryIr } from "./queryIr.ts";

export interface ModelSettings {
  /** The chat completions URL, or a base URL such as `https://host/v1` (then `/chat/completions` is added). */
  url: string;
  /** @default "gpt-4o-mini" */
  model?: string;
  apiKey?: string;
  /** @default 8000 */
  timeoutMs?: number;
}

export interface ModelTokens {
  prompt: number;
  completion: number;
  total: number;
}

export type Proposal =
  { ok: true; ir: QueryIr; model: string; tokens: ModelTokens | null } | { ok: false; reason: string; tokens: ModelTokens | null };

const endpoint = (url: string) => (/\/chat\/completions\/?$/.test(url) ? url : `${url.replace(/\/$/, "")}/chat/completions`);

/** The prompt: the vocabulary and the IR's shape, from the code that checks them (never a hand-kept copy). */
export function systemPrompt(vocabulary: GraphVocabulary): string {
  const labels = [...vocabulary.labels].map(([label, props]) => `- ${label}: ${[...props].join(", ")}`).join("\n");
  const rels = vocabulary.relationships.map((r) => `- (${r.from})-[:${r.type}]->(${r.to})`).join("\n");
  return [
    "You translate a question about an intelligence graph into a query plan (JSON), never Cypher.",
    "Answer with one JSON object and nothing else, of this shape:",
    '{"nodes":[{"var":"n0","label":"<Label>"}],"edges":[{"from":"n0","type":"<TYPE>","to":"n1"}],',
    ' "filters":[{"var":"n0","property":"<prop>","op":"eq|contains|startsWith|endsWith|gt|gte|lt|lte","value":"<value>","negate":false}],',
    ' "returns":[{"var":"n0","property":"<prop>"}],"aggregate":{"fn":"count","var":"n0"},',
    ' "orderBy":{"var":"n0","property":"<prop>","direction":"ASC|DESC"},"limit":25}',
    "Variables are n0 to n3; edges follow the schema's direction; aggregate and orderBy are optional; limit is 1 to 500.",
    "Labels and their properties:",
    labels,
    "Relationships:",
    rels,
    "If the question asks to change data, reach other tenants or run code, answer {}.",
  ].join("\n");
}

const tokensOf = (usage: unknown): ModelTokens | null => {
  const u = usage as { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | undefined;
  return u && typeof u.total_tokens === "number"
    ? { prompt: u.prompt_tokens ?? 0, completion: u.completion_tokens ?? 0, total: u.total_tokens }
    : null;
};

/** The JSON object in a model's answer (some wrap it in a code fence). */
const jsonIn = (content: string) => JSON.parse(content.replace(/^\s*```(?:json)?\s*|\s*```\s*$/g, "")) as unknown;

export function createModelProposer(settings: ModelSettings, vocabulary: GraphVocabulary, fetchImpl: typeof fetch = fetch) {
  const model = settings.model ?? "gpt-4o-mini";
  const system = systemPrompt(vocabulary);

  return {
    model,
    async propose(question: string): Promise<Proposal> {
      let body: { choices?: Array<{ message?: { content?: string } }>; usage?: unknown };
      try {
        const response = await fetchImpl(endpoint(settings.url), {
          method: "POST",
          headers: { "content-type": "application/json", ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}) },
          body: JSON.stringify({
            model,
            temperature: 0,
            response_format: { type: "json_object" },
            messages: [
              { role: "system", content: system },
              { role: "user", content: question },
            ],
          }),
          signal: AbortSignal.timeout(settings.timeoutMs ?? 8000),
        });
        if (!response.ok) return { ok: false, reason: `the model answered HTTP ${response.status}`, tokens: null };
        body = (await response.json()) as typeof body;
      } catch (error) {
        const timedOut = (error as Error).name === "TimeoutError";
        return { ok: false, reason: timedOut ? "the model did not answer in time" : "the model could not be reached", tokens: null };
      }
      const tokens = tokensOf(body.usage);
      const content = body.choices?.[0]?.message?.content ?? "";
      let proposed: unknown;
      try {
        proposed = jsonIn(content);
      } catch {
        return { ok: false, reason: "the model's answer was not JSON", tokens };
      }
      const parsed = queryIrSchema.safeParse(proposed);
      if (!parsed.success)
        return { ok: false, reason: `the model's plan was not valid (${parsed.error.issues[0]?.message ?? "invalid"})`, tokens };
      return { ok: true, ir: parsed.data, model, tokens };
    },
  };
}

export type ModelProposer = ReturnType<typeof createModelProposer>;

/** A model's plan in plain words, for the interpretation the analyst checks. */
export function describeIr(ir: QueryIr): string {
  const path = ir.nodes.map((n) => n.label).join(" → ");
  const filters = ir.filters.map((f) => `${f.negate ? "not " : ""}${f.property} ${f.op} “${String(f.value)}”`);
  const what = ir.aggregate ? "count" : "list";
  return `${what} ${path}${filters.length ? ` where ${filters.join(" and ")}` : ""}`;
}
