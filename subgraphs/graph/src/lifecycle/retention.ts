/**
 * Retention: each tenant's rules (entity types, source, age) and grace period.
 * Applying them soft-deletes what they select; held entities are skipped and
 * counted, never deleted. Purge (purge.ts) removes them once the grace period
 * has passed.
 */
import { z } from "zod";
import { appError, ErrorCode, requireUser, validateInput, type Principal } from "@intelgraph/kit";
import { matchQuery, type Selector } from "./entitySelector.ts";
import { selectedLabels, sessionOf, type LifecycleDeps } from "./lifecycleDeps.ts";
import type { RetentionDoc } from "./lifecycleRepository.ts";
import { softDeleteSelected } from "./softDelete.ts";

const retentionInput = z.object({
  rules: z
    .array(
      z
        .object({
          types: z
            .array(z.string().regex(/^[A-Z][A-Za-z0-9]{0,60}$/))
            .min(1)
            .max(50)
            .nullish(),
          source: z.string().trim().min(1).max(200).nullish(),
          olderThanDays: z.number().int().min(1, "at least 1 day").max(36_500),
        })
        .strict(),
    )
    .max(50),
  graceDays: z.number().int().min(0).max(365, "at most 365 days"),
  reason: z.string().trim().min(3, "say why (at least 3 characters)").max(1000),
});

export function createRetention(deps: LifecycleDeps) {
  const { retention } = deps.repo;

  /** How many live entities a rule selects now, and how many of those are held. */
  async function countSelected(tenantId: string, selector: Selector) {
    const params: Record<string, unknown> = { tenantId };
    const s = sessionOf(deps, "READ");
    try {
      const r = await s.run(
        `${matchQuery(await selectedLabels(deps, tenantId, selector), selector, params, "live", deps.now())} RETURN count(n) AS c, sum(CASE WHEN n.legalHeld = true THEN 1 ELSE 0 END) AS held`,
        params,
      );
      return { selected: Number(r.records[0]?.get("c") ?? 0), held: Number(r.records[0]?.get("held") ?? 0) };
    } finally {
      await s.close();
    }
  }

  return {
    async retention(principal: Principal): Promise<RetentionDoc | null> {
      const caller = requireUser(principal);
      return retention.forTenant(caller.tenantId).findOne({ _id: caller.tenantId });
    },

    async setRetention(principal: Principal, raw: unknown): Promise<RetentionDoc> {
      const caller = requireUser(principal);
      const input = validateInput(retentionInput, raw);
      const labels = await deps.labelsFor(caller.tenantId);
      for (const [i, rule] of input.rules.entries()) {
        const unknown = (rule.types ?? []).filter((t) => !labels.includes(t));
        if (unknown.length)
          throw appError(ErrorCode.BAD_USER_INPUT, `rules.${i}: unknown entity type(s) ${unknown.join(", ")}.`, {
            field: `rules.${i}.types`,
          });
      }
      return (await retention.forTenant(caller.tenantId).findOneAndUpdate(
        { _id: caller.tenantId },
        {
          $set: { rules: input.rules, graceDays: input.graceDays, reason: input.reason, setBy: caller.userId, setAt: new Date(deps.now()) },
        },
        { upsert: true },
      ))!;
    },

    /** Soft-deletes what the tenant's rules select; held entities are skipped and counted, never deleted. */
    async applyRetention(principal: Principal, input: { dryRun: boolean }) {
      const caller = requireUser(principal);
      const { dryRun } = input;
      const setting = await retention.forTenant(caller.tenantId).findOne({ _id: caller.tenantId });
      if (!setting?.rules.length) return { dryRun, rules: [] };
      const out: Array<{ rule: number; selected: number; deleted: number; heldSkipped: number }> = [];
      for (const [i, rule] of setting.rules.entries()) {
        const selector: Selector = {
          ...(rule.types ? { types: rule.types } : { types: await deps.labelsFor(caller.tenantId) }),
          ...(rule.source ? { source: rule.source } : {}),
          olderThanDays: rule.olderThanDays,
        };
        if (dryRun) {
          const { selected, held } = await countSelected(caller.tenantId, selector);
          out.push({ rule: i, selected, deleted: 0, heldSkipped: held });
        } else {
          const result = await softDeleteSelected(deps, caller, selector, `retention rule ${i}: ${setting.reason}`, `retention:${i}`, {
            refuseHeld: false,
          });
          out.push({ rule: i, selected: result.deleted + result.heldSkipped, deleted: result.deleted, heldSkipped: result.heldSkipped });
        }
      }
      return { dryRun, rules: out };
    },
  };
}
