/**
 * Soft delete and restore. Soft delete swaps a node's entity label for
 * `Deleted` (keeping the old one in `deletedLabel`): every query
 * @neo4j/graphql writes matches by entity label, so a deleted node drops out
 * of reads, traversals and the neighbourhood at once, and comes back on
 * restore with its relationships.
 */
import neo4j from "neo4j-driver";
import { z } from "zod";
import {
  appError,
  ErrorCode,
  requireUser,
  validateInput,
  type AuthenticatedPrincipal,
  type Principal,
  type TlpMarking,
} from "@intelgraph/kit";
import { markingsParam, markingVisible } from "../visibility.ts";
import { DAY_MS, DELETED_LABEL, matchQuery, selectorShape, type Selector } from "./entitySelector.ts";
import { activeHoldsOn, refuseHeld } from "./legalHolds.ts";
import { missingIds, selectedLabels, sessionOf, type LifecycleDeps } from "./lifecycleDeps.ts";
import { DEFAULT_GRACE_DAYS } from "./lifecycleRepository.ts";

const deleteInput = z.object({ selector: selectorShape, reason: z.string().trim().min(3, "say why (at least 3 characters)").max(1000) });

/**
 * Soft-deletes what `selector` picks. With `refuseHeld`, refused whole when
 * anything selected is held; without (retention), held entities are skipped
 * and counted.
 */
export async function softDeleteSelected(
  deps: LifecycleDeps,
  caller: AuthenticatedPrincipal,
  selector: Selector,
  reason: string,
  rule: string | null,
  options: { refuseHeld: boolean; markings?: readonly TlpMarking[] },
) {
  const labels = await selectedLabels(deps, caller.tenantId, selector);
  if (selector.ids && options.refuseHeld) {
    const missing = await missingIds(deps, caller.tenantId, labels, selector.ids, options.markings);
    if (missing.length)
      throw appError(ErrorCode.NOT_FOUND, `No entity with id(s) ${missing.slice(0, 10).join(", ")} in your tenant; nothing was deleted.`, {
        ids: missing,
      });
  }
  const at = deps.now();
  const params: Record<string, unknown> = {
    tenantId: caller.tenantId,
    by: caller.userId,
    reason,
    rule,
    at: new Date(at).toISOString(),
    ...(options.markings ? { markings: options.markings } : {}),
  };
  const match = matchQuery(labels, selector, params, "live", at);
  const s = sessionOf(deps);
  try {
    return await s.executeWrite(async (tx) => {
      if (options.refuseHeld) await refuseHeld(deps, caller.tenantId, await activeHoldsOn(tx, match, params), "delete");
      const byType: Record<string, number> = {};
      let deleted = 0;
      for (const label of labels) {
        const result = await tx.run(
          `${match} WITH n WHERE n:\`${label}\` AND coalesce(n.legalHeld, false) = false
           REMOVE n:\`${label}\` SET n:${DELETED_LABEL}, n.deletedLabel = '${label}', n.deletedAt = datetime($at), n.deletedBy = $by,
             n.deletedReason = $reason, n.deletionRule = $rule
           RETURN count(n) AS c`,
          params,
        );
        const c = Number(result.records[0]?.get("c") ?? 0);
        if (c) ((byType[label] = c), (deleted += c));
      }
      const heldSkipped = options.refuseHeld
        ? 0
        : Number((await tx.run(`${match} WITH n WHERE n.legalHeld = true RETURN count(n) AS c`, params)).records[0]?.get("c") ?? 0);
      return { deleted, byType, heldSkipped };
    });
  } finally {
    await s.close();
  }
}

export function createSoftDelete(deps: LifecycleDeps) {
  return {
    /** Soft delete: hidden at once, restorable until purged. Refused whole when anything selected is held. */
    async softDelete(principal: Principal, raw: unknown) {
      const caller = requireUser(principal);
      const input = validateInput(deleteInput, raw);
      // A person deletes only what their clearance lets them see.
      return softDeleteSelected(deps, caller, input.selector, input.reason, null, { refuseHeld: true, markings: markingsParam(caller) });
    },

    async restore(principal: Principal, input: { ids: string[] }) {
      const caller = requireUser(principal);
      const { ids } = input;
      if (!Array.isArray(ids) || !ids.length || ids.length > 1000)
        throw appError(ErrorCode.BAD_USER_INPUT, "Give between 1 and 1000 ids to restore.", { argument: "ids" });
      const s = sessionOf(deps);
      try {
        return await s.executeWrite(async (tx) => {
          const rows = await tx.run(
            // Only what the caller's clearance covers: anything else is as unknown as an id never deleted.
            `MATCH (n:${DELETED_LABEL}) WHERE n.tenantId = $tenantId AND n.id IN $ids AND ${markingVisible("n")}
             RETURN n.id AS id, n.deletedLabel AS label`,
            { tenantId: caller.tenantId, ids, markings: markingsParam(caller) },
          );
          const found = new Map(rows.records.map((r) => [r.get("id") as string, r.get("label") as string]));
          const missing = ids.filter((id) => !found.has(id));
          if (missing.length)
            throw appError(
              ErrorCode.NOT_FOUND,
              `No deleted entity with id(s) ${missing.slice(0, 10).join(", ")} (never deleted, or already purged); nothing was restored.`,
              { ids: missing },
            );
          const byType: Record<string, number> = {};
          for (const label of new Set(found.values())) {
            const labelIds = ids.filter((id) => found.get(id) === label);
            // Labels read back from our own nodes were set from validated names.
            await tx.run(
              `MATCH (n:${DELETED_LABEL}) WHERE n.tenantId = $tenantId AND n.id IN $ids
               REMOVE n:${DELETED_LABEL} SET n:\`${label}\`
               REMOVE n.deletedLabel, n.deletedAt, n.deletedBy, n.deletedReason, n.deletionRule`,
              { tenantId: caller.tenantId, ids: labelIds },
            );
            byType[label] = labelIds.length;
          }
          return { restored: ids.length, byType };
        });
      } finally {
        await s.close();
      }
    },

    /** Soft-deleted entities, newest first, with when each may be purged. */
    async deleted(principal: Principal, input: { first?: number | null }) {
      const caller = requireUser(principal);
      const first = input.first ?? 100;
      const setting = await deps.repo.retention.forTenant(caller.tenantId).findOne({ _id: caller.tenantId });
      const s = sessionOf(deps, "READ");
      try {
        const result = await s.run(
          `MATCH (n:${DELETED_LABEL}) WHERE n.tenantId = $tenantId AND ${markingVisible("n")}
           RETURN n.id AS id, n.deletedLabel AS type, toString(n.deletedAt) AS deletedAt, n.deletedBy AS deletedBy, n.deletedReason AS reason,
                  n.deletionRule AS rule, coalesce(n.legalHolds, []) AS legalHolds
           ORDER BY n.deletedAt DESC LIMIT $first`,
          { tenantId: caller.tenantId, markings: markingsParam(caller), first: neo4j.int(Math.min(Math.max(Math.trunc(first), 1), 500)) },
        );
        const grace = setting?.graceDays ?? DEFAULT_GRACE_DAYS;
        return result.records.map((r) => {
          const deletedAt = new Date(r.get("deletedAt") as string);
          return {
            id: r.get("id"),
            type: r.get("type"),
            deletedAt: deletedAt.toISOString(),
            deletedBy: r.get("deletedBy"),
            reason: r.get("reason"),
            rule: r.get("rule"),
            legalHolds: r.get("legalHolds"),
            purgeAfter: new Date(deletedAt.getTime() + grace * DAY_MS).toISOString(),
          };
        });
      } finally {
        await s.close();
      }
    },
  };
}
