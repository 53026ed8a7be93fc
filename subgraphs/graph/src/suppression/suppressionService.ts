/**
 * Suppression rules per tenant: listing, creating, changing and deleting
 * rules (each change re-applies the tenant's rules before it answers), the
 * dry run of a rule (stored or proposed) and the explicit list of suppressed
 * indicators. Rule writes need `intel:manage` (policies); the service checks
 * the signed-in tenant and validates input. Runs per tenant are serialised in
 * this process; across processes a run is idempotent (the verdict depends
 * only on the rules and the indicators).
 */
import {
  appError,
  ErrorCode,
  markingsUpTo,
  clearanceOf,
  newId,
  parseId,
  requireUser,
  validateInput,
  type AuditHints,
  type Clock,
  type Principal,
} from "@intelgraph/kit";
import { compileMatcher } from "./ruleMatcher.ts";
import {
  createRuleSchema,
  MAX_RULES,
  normalizeMatch,
  parseMatch,
  updateRuleSchema,
  type RuleStore,
  type SuppressionRuleDoc,
} from "./suppressionRules.ts";
import type { SuppressedReads } from "./suppressedReads.ts";
import type { ApplyOutcome, CompiledRule, SuppressionEngine } from "./suppressionEngine.ts";

export interface SuppressionServiceDeps {
  rules: RuleStore;
  engine: SuppressionEngine;
  reads: SuppressedReads;
  now: Clock;
  /** Called after a run that hid or showed any indicator (the module audits it). */
  onApplied?: (tenantId: string, outcome: ApplyOutcome, rules: SuppressionRuleDoc[]) => Promise<void>;
}

/** Sample size of a dry run. @default 20, at most 500 */
const DEFAULT_SAMPLE = 20;
const MAX_SAMPLE = 500;
/** Page size of suppressedIndicators. @default 50, at most 500 */
const DEFAULT_PAGE = 50;
const MAX_PAGE = 500;

const clamp = (value: number | null | undefined, fallback: number, max: number, min = 1) =>
  Math.min(Math.max(Math.trunc(value ?? fallback), min), max);

export function createSuppressionService(deps: SuppressionServiceDeps) {
  const { rules, engine, reads, now } = deps;
  const running = new Map<string, Promise<unknown>>();

  const compile = (doc: SuppressionRuleDoc): CompiledRule => ({ id: doc._id, name: doc.name, matches: compileMatcher(doc.match) });

  async function ruleFor(tenantId: string, id: unknown): Promise<SuppressionRuleDoc> {
    const ruleId = parseId(id);
    const doc = await rules.forTenant(tenantId).findOne({ _id: ruleId });
    if (!doc) throw appError(ErrorCode.NOT_FOUND, `No suppression rule with id ${ruleId} in your tenant.`, { id: ruleId });
    return doc;
  }

  /** Applies the tenant's enabled rules now; one run per tenant at a time in this process (a later call waits for the earlier). */
  function applyTenant(tenantId: string): Promise<ApplyOutcome & { rules: SuppressionRuleDoc[] }> {
    const previous = running.get(tenantId) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(async () => {
        const all = await rules.list(tenantId);
        const outcome = await engine.apply(tenantId, all.filter((r) => r.enabled).map(compile));
        if (outcome.newlySuppressed + outcome.released > 0) await deps.onApplied?.(tenantId, outcome, all);
        return { ...outcome, rules: all };
      });
    running.set(tenantId, run);
    void run.finally(() => running.get(tenantId) === run && running.delete(tenantId)).catch(() => undefined);
    return run;
  }

  async function applyView(tenantId: string) {
    const outcome = await applyTenant(tenantId);
    const names = new Map(outcome.rules.map((r) => [r._id, r.name]));
    return {
      scanned: outcome.scanned,
      suppressed: [...outcome.byRule.values()].reduce((a, b) => a + b, 0),
      newlySuppressed: outcome.newlySuppressed,
      released: outcome.released,
      byRule: [...outcome.byRule].map(([ruleId, suppressed]) => ({ ruleId, name: names.get(ruleId) ?? ruleId, suppressed })),
    };
  }

  return {
    applyTenant,

    async list(principal: Principal): Promise<SuppressionRuleDoc[]> {
      const caller = requireUser(principal);
      return rules.list(caller.tenantId);
    },

    async create(principal: Principal, args: { input: unknown }, hints: AuditHints): Promise<SuppressionRuleDoc> {
      const caller = requireUser(principal);
      const input = validateInput(createRuleSchema, args.input);
      const scoped = rules.forTenant(caller.tenantId);
      if ((await scoped.countDocuments()) >= MAX_RULES)
        throw appError(ErrorCode.BAD_USER_INPUT, `A tenant has at most ${MAX_RULES} suppression rules; delete or merge some first.`, {
          problems: [{ path: "input", message: `at most ${MAX_RULES} rules` }],
        });
      const at = new Date(now());
      const doc = await scoped.insertOne({
        _id: newId(),
        name: input.name,
        enabled: input.enabled ?? false,
        match: normalizeMatch(input.match),
        createdBy: caller.userId,
        createdAt: at,
        updatedBy: caller.userId,
        updatedAt: at,
      });
      hints.targetIds = [doc._id];
      if (doc.enabled) await applyTenant(caller.tenantId);
      return doc;
    },

    async update(principal: Principal, args: { id: unknown; input: unknown }, hints: AuditHints): Promise<SuppressionRuleDoc> {
      const caller = requireUser(principal);
      const before = await ruleFor(caller.tenantId, args.id);
      const input = validateInput(updateRuleSchema, args.input);
      const set: Partial<SuppressionRuleDoc> = { updatedBy: caller.userId, updatedAt: new Date(now()) };
      if (input.name != null) set.name = input.name;
      if (input.enabled != null) set.enabled = input.enabled;
      if (input.match != null) set.match = normalizeMatch(input.match);
      hints.targetIds = [before._id];
      const after = await rules.forTenant(caller.tenantId).findOneAndUpdate({ _id: before._id }, { $set: set });
      if (!after) throw appError(ErrorCode.NOT_FOUND, `No suppression rule with id ${before._id} in your tenant.`, { id: before._id });
      if (before.enabled || after.enabled) await applyTenant(caller.tenantId);
      return after;
    },

    async remove(principal: Principal, args: { id: unknown }, hints: AuditHints): Promise<string> {
      const caller = requireUser(principal);
      const doc = await ruleFor(caller.tenantId, args.id);
      hints.targetIds = [doc._id];
      await rules.forTenant(caller.tenantId).deleteOne({ _id: doc._id });
      await applyTenant(caller.tenantId);
      return doc._id;
    },

    /** Re-applies every enabled rule of the caller's tenant now (audited with the counts per rule). */
    async applyAll(principal: Principal, hints: AuditHints) {
      const caller = requireUser(principal);
      const view = await applyView(caller.tenantId);
      hints.targetIds = view.byRule.map((r) => r.ruleId);
      return view;
    },

    /**
     * What a rule would hide among the indicators the caller may see: a stored
     * rule (`id`, as if enabled) or a proposed match (`input`). Uses the matcher
     * applying uses, so enabling the rule hides exactly these.
     */
    async dryRun(principal: Principal, args: { id?: unknown; input?: unknown; sampleSize?: number | null }) {
      const caller = requireUser(principal);
      if ((args.id == null) === (args.input == null))
        throw appError(ErrorCode.BAD_USER_INPUT, "Give either the id of a stored rule or a proposed match (input), not both.", {
          problems: [{ path: "id", message: "give id or input" }],
        });
      const rule = args.id != null ? await ruleFor(caller.tenantId, args.id) : null;
      const match = rule ? rule.match : parseMatch(args.input);
      const markings = markingsUpTo(clearanceOf(caller));
      const sample = clamp(args.sampleSize, DEFAULT_SAMPLE, MAX_SAMPLE, 0);
      const outcome = await engine.dryRun(caller.tenantId, rule?._id ?? null, compileMatcher(match), markings, sample);
      return { ruleId: rule?._id ?? null, match, ...outcome };
    },

    /** The explicit filter: the tenant's suppressed indicators the caller may see, optionally those of one rule. */
    async suppressed(principal: Principal, args: { ruleId?: unknown; limit?: number | null; offset?: number | null }) {
      const caller = requireUser(principal);
      const ruleId = args.ruleId == null ? null : parseId(args.ruleId, "ruleId");
      const markings = markingsUpTo(clearanceOf(caller));
      const page = await reads.suppressed(caller.tenantId, markings, {
        ruleId,
        limit: clamp(args.limit, DEFAULT_PAGE, MAX_PAGE),
        offset: Math.max(Math.trunc(args.offset ?? 0), 0),
      });
      const names = new Map((await rules.list(caller.tenantId)).map((r) => [r._id, r.name]));
      return { ...page, nodes: page.nodes.map((n) => ({ ...n, suppressedByName: names.get(n.suppressedBy) ?? null })) };
    },

    /** How many indicators the caller may see each rule holds now (rule id → count), for the rule list. */
    async heldCounts(principal: Principal): Promise<Map<string, number>> {
      const caller = requireUser(principal);
      return reads.countByRule(caller.tenantId, markingsUpTo(clearanceOf(caller)));
    },
  };
}

export type SuppressionService = ReturnType<typeof createSuppressionService>;
