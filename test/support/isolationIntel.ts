/**
 * Isolation cases and read proofs of the threat-intel operations (STIX
 * export, scoring, suppression rules, clearances): each area's file exports
 * its own, and this file gathers them for isolationCases.ts and
 * isolationReads.ts. Add one import and one spread per area here.
 */
import type { ValidCase } from "./isolationCases.ts";
import type { ReadProof } from "./isolationReads.ts";
import { CLEARANCE_CASES } from "./isolationClearance.ts";
import { SCORING_CASES, SCORING_READ_PROOFS } from "./isolationScoring.ts";
import { STIX_CASES } from "./isolationStix.ts";
import { SUPPRESSION_CASES, SUPPRESSION_READ_PROOFS } from "./isolationSuppression.ts";

export const INTEL_CASES: Record<string, ValidCase> = {
  ...STIX_CASES,
  ...SCORING_CASES,
  ...SUPPRESSION_CASES,
  ...CLEARANCE_CASES,
};

export const INTEL_READ_PROOFS: Record<string, ReadProof> = {
  ...SCORING_READ_PROOFS,
  ...SUPPRESSION_READ_PROOFS,
};

/**
 * Reads left out of A's snapshot (which calls every query without required arguments, with none):
 * a dry run needs a rule's id or a proposed match, so it has no answer without arguments (its case above tests it).
 */
export const INTEL_UNSNAPSHOTTED = ["dryRunSuppressionRule"];
