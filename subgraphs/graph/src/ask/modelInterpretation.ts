/**
 * How a model's proposal and the deterministic interpretation combine. The
 * deterministic interpreter always runs first and alone decides refusals. A
 * proposal that compiles is used; when it compiles to the same Cypher as the
 * deterministic interpretation, the model agrees and the confidence stands;
 * otherwise the confidence is set under the threshold, so RUN waits for the
 * analyst to check and confirm. A proposal that fails (or does not compile)
 * leaves the deterministic interpretation, with the reason recorded.
 */
import { compileCypher } from "./compileCypher.ts";
import type { GraphVocabulary } from "./graphVocabulary.ts";
import type { Interpretation, InterpretResult } from "./interpretQuestion.ts";
import { describeIr, type ModelProposer, type ModelTokens } from "./modelProposer.ts";

/** Confidence of a model's plan the deterministic interpreter does not reach: under the default threshold (0.7). */
export const MODEL_ONLY_CONFIDENCE = 0.6;

export interface ModelNote {
  model: string;
  used: boolean;
  tokens: ModelTokens | null;
  fallback: string | null;
}

export async function withModel(
  proposer: ModelProposer,
  question: string,
  interpreted: Extract<InterpretResult, { ok: true } | { hints: string[] }>,
  vocabulary: GraphVocabulary,
  tenantId: string,
): Promise<{ interpretation: Interpretation | null; note: ModelNote }> {
  const own = interpreted.ok ? interpreted.interpretation : null;
  const proposal = await proposer.propose(question);
  const note: ModelNote = { model: proposer.model, used: false, tokens: proposal.tokens, fallback: null };
  if (!proposal.ok) return { interpretation: own, note: { ...note, fallback: proposal.reason } };
  let cypher: string;
  try {
    cypher = compileCypher(proposal.ir, vocabulary, tenantId).cypher;
  } catch {
    return { interpretation: own, note: { ...note, fallback: "the model's plan names something outside the graph's schema" } };
  }
  const agrees = own !== null && compileCypher(own.ir, vocabulary, tenantId).cypher === cypher;
  const reasons = agrees
    ? [...own.reasons, `the model ${proposer.model} proposed the same query`]
    : [`proposed by the model ${proposer.model}: check the interpretation before running it`];
  return {
    interpretation: {
      ir: proposal.ir,
      summary: agrees ? own.summary : describeIr(proposal.ir),
      confidence: agrees ? own.confidence : Math.min(MODEL_ONLY_CONFIDENCE, own?.confidence ?? MODEL_ONLY_CONFIDENCE),
      reasons,
      hints: own?.hints ?? [],
    },
    note: { ...note, used: true },
  };
}
