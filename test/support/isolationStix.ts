/** Isolation cases of the STIX operations (isolationIntel.ts spreads them in). */
import type { ValidCase } from "./isolationCases.ts";

/**
 * A's export of A's organization and person holds A's names; B's, with the
 * same ids, is NOT_FOUND (another tenant's ids are left out like unknown
 * ones, and a selection with nothing visible is NOT_FOUND).
 */
export const STIX_CASES: Record<string, ValidCase> = {
  stixBundle: { variables: ({ ids }) => ({ input: { ids: [ids.org, ids.person] } }) },
};
