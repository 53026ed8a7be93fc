/**
 * Isolation cases and read proofs of confidence scoring (spread into
 * isolationIntel.ts). A and B grade the same source name and set bands of
 * their own, with different values, so a leak of either into the other's
 * answers shows; A's indicator ids are NOT_FOUND for B.
 */
import { expect } from "vitest";
import { throwawayNode, type ValidCase } from "./isolationCases.ts";
import type { ReadProof } from "./isolationReads.ts";

const SOURCE = "isolation-scoring-feed";
const GRADE = { a: "A", b: "E" } as const;
const BANDS = { a: { high: 81, low: 21 }, b: { high: 92, low: 12 } } as const;

const indicatorOfA: ValidCase["prepare"] = async (ctx) => ({ id: await throwawayNode(ctx, "Indicators") });

export const SCORING_CASES: Record<string, ValidCase> = {
  indicatorScore: { prepare: indicatorOfA, variables: (_, __, { id }) => ({ id }) },
  setIndicatorFeedback: { prepare: indicatorOfA, variables: (_, __, { id }) => ({ id, verdict: "CONFIRMED", note: "isolation suite" }) },
  setSourceReliability: { variables: (_, who) => ({ source: SOURCE, grade: GRADE[who] }) },
  setScoreThresholds: { variables: (_, who) => ({ ...BANDS[who] }) },
};

export const SCORING_READ_PROOFS: Record<string, ReadProof> = {
  indicatorScore: {
    noIds: "the score of the indicator A asked about: its only id is the one A sent",
    compare(ofA, ofB) {
      expect(ofA).toMatchObject({ score: expect.any(Number), band: expect.any(String), parts: expect.any(Array) });
      expect(ofB ?? null, "B got a score of A's indicator").toBeNull();
    },
  },
  sourceReliabilities: {
    noIds: "source names and grades, no ids: A's grade of the shared source name is A, B's is E",
    compare(_ofA, ofB) {
      const list = (ofB ?? []) as Array<{ source: string; grade: string }>;
      expect(
        list.filter((r) => r.source === SOURCE && r.grade === GRADE.a),
        "B sees A's grade",
      ).toEqual([]);
    },
  },
  scoreThresholds: {
    noIds: "two numbers and who set them: B's are the defaults or its own, never A's 81/21",
    compare(_ofA, ofB) {
      if (ofB) expect([ofB.high, ofB.low], "B sees A's bands").not.toEqual([BANDS.a.high, BANDS.a.low]);
    },
  },
};
