/**
 * Legal holds: a hold lists its id in `legalHolds` on every node its selector
 * picks (live or soft-deleted) and sets `legalHeld`. Held nodes cannot be
 * updated, deleted, linked or unlinked through the API (LEGAL_HOLD for root
 * updates and deletes, and an `@authorization` rule behind them), soft
 * deleted, or purged. Releasing a hold clears its id from every node.
 */
import { randomUUID } from "node:crypto";
import type { ManagedTransaction } from "neo4j-driver";
import { z } from "zod";
import { appError, ErrorCode, requireUser, validateInput, type Principal } from "@intelgraph/kit";
import { matchQuery, selectorShape } from "./entitySelector.ts";
import { missingIds, selectedLabels, sessionOf, type LifecycleDeps } from "./lifecycleDeps.ts";
import type { LegalHold } from "./lifecycleRepository.ts";

const holdInput = z.object({
  name: z.string().trim().min(3, "at least 3 characters").max(200),
  reason: z.string().trim().min(3, "say why (at least 3 characters)").max(1000),
  selector: selectorShape,
  allowOverlap: z.boolean().nullish(),
});
const releaseInput = z.object({ reason: z.string().trim().min(3, "say why (at least 3 characters)").max(1000) });

/** The active holds on what `match` selects, with how many of the selected nodes each holds. */
export async function activeHoldsOn(tx: ManagedTransaction, match: string, params: Record<string, unknown>) {
  const result = await tx.run(
    `${match} WITH n WHERE n.legalHeld = true UNWIND n.legalHolds AS hold RETURN hold, count(DISTINCT n) AS nodes`,
    params,
  );
  return result.records.map((r) => ({ hold: r.get("hold") as string, nodes: Number(r.get("nodes")) }));
}

/** LEGAL_HOLD naming the holds found, if any: `what` (delete, purge) is refused whole. */
export async function refuseHeld(deps: LifecycleDeps, tenantId: string, found: Array<{ hold: string; nodes: number }>, what: string) {
  if (!found.length) return;
  const named = await deps.repo.holds.forTenant(tenantId).find({ _id: { $in: found.map((f) => f.hold) } as never });
  const names = found.map((f) => `"${named.find((h) => h._id === f.hold)?.name ?? f.hold}" (${f.nodes})`);
  throw appError(ErrorCode.LEGAL_HOLD, `Cannot ${what}: entities are under legal hold ${names.join(", ")}. Release the hold first.`, {
    holds: found.map((f) => ({ id: f.hold, name: named.find((h) => h._id === f.hold)?.name ?? null, entities: f.nodes })),
  });
}

export function createLegalHolds(deps: LifecycleDeps) {
  const { holds } = deps.repo;
  return {
    async holds(principal: Principal, input: { includeReleased?: boolean | null }) {
      const caller = requireUser(principal);
      return holds
        .forTenant(caller.tenantId)
        .find(input.includeReleased === true ? {} : { releasedAt: null }, { sort: { createdAt: -1 }, limit: 200 });
    },

    /** Holds (ids, names) on the nodes a root update/delete would touch; used by the API guard. */
    async holdNames(tenantId: string, holdIds: string[]) {
      const rows = await holds.forTenant(tenantId).find({ _id: { $in: holdIds } as never });
      return holdIds.map((id) => ({ id, name: rows.find((h) => h._id === id)?.name ?? null }));
    },

    async placeHold(principal: Principal, raw: unknown): Promise<LegalHold> {
      const caller = requireUser(principal);
      const input = validateInput(holdInput, raw);
      const labels = await selectedLabels(deps, caller.tenantId, input.selector);
      if (input.selector.ids) {
        const missing = await missingIds(deps, caller.tenantId, labels, input.selector.ids);
        if (missing.length)
          throw appError(ErrorCode.NOT_FOUND, `No entity with id(s) ${missing.slice(0, 10).join(", ")} in your tenant; nothing was held.`, {
            ids: missing,
          });
      }
      const hold: LegalHold = {
        _id: randomUUID(),
        tenantId: caller.tenantId,
        name: input.name,
        reason: input.reason,
        owner: caller.userId,
        selector: input.selector,
        entities: 0,
        createdAt: new Date(deps.now()),
        releasedAt: null,
        releasedBy: null,
        releaseReason: null,
      };
      const params: Record<string, unknown> = { tenantId: caller.tenantId, holdId: hold._id };
      const match = matchQuery(labels, input.selector, params, "both", deps.now());
      const s = sessionOf(deps);
      try {
        hold.entities = await s.executeWrite(async (tx) => {
          const overlapping = await activeHoldsOn(tx, match, params);
          if (overlapping.length && !input.allowOverlap) {
            const named = await holds.forTenant(caller.tenantId).find({ _id: { $in: overlapping.map((o) => o.hold) } as never });
            throw appError(
              ErrorCode.CONFLICT,
              `This selection overlaps active hold(s) ${overlapping.map((o) => `"${named.find((h) => h._id === o.hold)?.name ?? o.hold}" (${o.nodes} entities)`).join(", ")}. Set allowOverlap to hold them for this matter too.`,
              { holds: overlapping.map((o) => o.hold) },
            );
          }
          const result = await tx.run(
            `${match} WITH DISTINCT n SET n.legalHolds = coalesce(n.legalHolds, []) + $holdId, n.legalHeld = true RETURN count(n) AS held`,
            params,
          );
          const held = Number(result.records[0]?.get("held") ?? 0);
          if (!held)
            throw appError(ErrorCode.BAD_USER_INPUT, "The selector picks no entity in your tenant; nothing was held.", {
              field: "selector",
            });
          return held;
        });
      } finally {
        await s.close();
      }
      await holds.forTenant(caller.tenantId).insertOne(hold);
      return hold;
    },

    async releaseHold(principal: Principal, input: { id: string; reason: unknown }): Promise<LegalHold> {
      const caller = requireUser(principal);
      const { id } = input;
      const { reason } = validateInput(releaseInput, { reason: input.reason });
      const hold = await holds.forTenant(caller.tenantId).findOne({ _id: id });
      if (!hold) throw appError(ErrorCode.NOT_FOUND, `No legal hold ${id} in your tenant.`, { id });
      if (hold.releasedAt) throw appError(ErrorCode.CONFLICT, `Legal hold "${hold.name}" was already released.`, { id });
      // One index seek per label (tenant index), never a scan of every node.
      const params: Record<string, unknown> = { tenantId: caller.tenantId, holdId: id };
      const match = matchQuery(await deps.labelsFor(caller.tenantId), {}, params, "both", deps.now());
      const s = sessionOf(deps);
      try {
        await s.executeWrite((tx) =>
          tx.run(
            `${match} WITH n WHERE n.legalHeld = true AND $holdId IN n.legalHolds
             WITH n, [h IN n.legalHolds WHERE h <> $holdId] AS rest
             SET n.legalHolds = CASE WHEN size(rest) = 0 THEN null ELSE rest END, n.legalHeld = CASE WHEN size(rest) = 0 THEN null ELSE true END`,
            params,
          ),
        );
      } finally {
        await s.close();
      }
      return (await holds
        .forTenant(caller.tenantId)
        .findOneAndUpdate({ _id: id }, { $set: { releasedAt: new Date(deps.now()), releasedBy: caller.userId, releaseReason: reason } }))!;
    },
  };
}
