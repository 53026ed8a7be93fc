/**
 * A tenant's suppression rules (Mongo `graph_suppression_rules`, through the
 * tenant repository) and the validation of their input. The rule's history
 * is the audit trail of its create/update/delete mutations.
 */
import type { Db } from "mongodb";
import { z } from "zod";
import { createTenantRepository, validateInput } from "@intelgraph/kit";
import { ALLOW_LISTS, type AllowList } from "./allowLists.ts";
import { isEmptyMatch, type RuleMatch } from "./ruleMatcher.ts";
import { regexProblem } from "./safeRegex.ts";

export const SUPPRESSION_RULES_COLLECTION = "graph_suppression_rules";

export interface SuppressionRuleDoc {
  _id: string;
  tenantId: string;
  name: string;
  enabled: boolean;
  match: RuleMatch;
  createdBy: string;
  createdAt: Date;
  updatedBy: string;
  updatedAt: Date;
}

/** Most rules a tenant may have (each is evaluated against every indicator). */
export const MAX_RULES = 100;

const listOf = (what: string) =>
  z
    .array(z.string().trim().min(1, `a ${what} must not be blank`).max(200))
    .max(50, `at most 50 ${what}s`)
    .nullish();

export const matchSchema = z
  .object({
    types: listOf("type"),
    sources: listOf("source"),
    scoreBelow: z
      .number()
      .int()
      .min(1, "at least 1 (scores run from 0 to 100)")
      .max(101, "at most 101 (101 matches every score)")
      .nullish(),
    patternRegex: z
      .string()
      .nullish()
      .superRefine((value, ctx) => {
        const problem = value == null ? null : regexProblem(value);
        if (problem) ctx.addIssue({ code: "custom", message: `the pattern expression ${problem}` });
      }),
    allowLists: z.array(z.enum(ALLOW_LISTS)).max(ALLOW_LISTS.length).nullish(),
  })
  .refine((match) => !isEmptyMatch(match), {
    message:
      "give at least one condition (types, sources, scoreBelow, patternRegex or allowLists): an empty rule would hide every indicator",
  });

const name = z.string().trim().min(1, "must not be blank").max(120, "at most 120 characters");

export const createRuleSchema = z.object({ name, enabled: z.boolean().nullish(), match: matchSchema });
export const updateRuleSchema = z.object({ name: name.nullish(), enabled: z.boolean().nullish(), match: matchSchema.nullish() });

/** The stored form of a match: only the conditions given, lists without duplicates. */
export function normalizeMatch(match: z.output<typeof matchSchema>): RuleMatch {
  const out: RuleMatch = {};
  const unique = <T>(list: readonly T[] | null | undefined) => (list && list.length > 0 ? [...new Set(list)] : undefined);
  const types = unique(match.types?.map((t) => t.toLowerCase()));
  if (types) out.types = types;
  const sources = unique(match.sources);
  if (sources) out.sources = sources;
  if (match.scoreBelow != null) out.scoreBelow = match.scoreBelow;
  if (match.patternRegex) out.patternRegex = match.patternRegex;
  const lists = unique(match.allowLists as AllowList[] | null | undefined);
  if (lists) out.allowLists = lists;
  return out;
}

export const parseMatch = (input: unknown) => normalizeMatch(validateInput(matchSchema, input));

export function createRuleStore(db: Db) {
  const repo = createTenantRepository<SuppressionRuleDoc>(db, SUPPRESSION_RULES_COLLECTION, {
    indexes: [{ key: { tenantId: 1, createdAt: 1 }, name: "tenant_created" }],
  });
  return {
    ensureIndexes: () => repo.ensureIndexes(),
    forTenant: (tenantId: string) => repo.forTenant(tenantId),
    /** The tenant's rules, oldest first (the order in which they claim an indicator). */
    list: (tenantId: string) => repo.forTenant(tenantId).find({}, { sort: { createdAt: 1, _id: 1 } }),
  };
}

export type RuleStore = ReturnType<typeof createRuleStore>;
