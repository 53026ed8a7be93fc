/** Isolation cases of the clearance operations (isolationIntel.ts spreads them in): B's admin cannot set A's user's clearance. */
import type { ValidCase } from "./isolationCases.ts";

export const CLEARANCE_CASES: Record<string, ValidCase> = {
  // AMBER is the analyst's role default: A's admin (RED) may set it, and it changes nothing else the suite reads.
  setUserClearance: { variables: ({ ids }) => ({ userId: ids.analyst, clearance: "AMBER" }) },
};
