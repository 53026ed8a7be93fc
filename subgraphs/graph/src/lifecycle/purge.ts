/**
 * Purge: removes for good what was soft-deleted before the tenant's grace
 * period, refused whole if any of it is held, and writes a purge record.
 */
import { randomUUID } from "node:crypto";
import { requireUser, type Principal } from "@intelgraph/kit";
import { DAY_MS, DELETED_LABEL } from "./entitySelector.ts";
import { refuseHeld } from "./legalHolds.ts";
import { sessionOf, type LifecycleDeps } from "./lifecycleDeps.ts";
import { DEFAULT_GRACE_DAYS } from "./lifecycleRepository.ts";

export function createPurge(deps: LifecycleDeps) {
  const { retention, purges } = deps.repo;
  return {
    /** Removes for good what was soft-deleted before the grace period; refused whole if any of it is held. */
    async purge(principal: Principal, input: { dryRun: boolean }) {
      const caller = requireUser(principal);
      const { dryRun } = input;
      const setting = await retention.forTenant(caller.tenantId).findOne({ _id: caller.tenantId });
      const graceDays = setting?.graceDays ?? DEFAULT_GRACE_DAYS;
      const deletedBefore = new Date(deps.now() - graceDays * DAY_MS);
      const params = { tenantId: caller.tenantId, before: deletedBefore.toISOString() };
      const match = `MATCH (n:${DELETED_LABEL}) WHERE n.tenantId = $tenantId AND n.deletedAt <= datetime($before)`;
      const s = sessionOf(deps);
      try {
        return await s.executeWrite(async (tx) => {
          const held = await tx.run(
            `${match} AND n.legalHeld = true UNWIND n.legalHolds AS hold RETURN hold, count(DISTINCT n) AS nodes`,
            params,
          );
          await refuseHeld(
            deps,
            caller.tenantId,
            held.records.map((r) => ({ hold: r.get("hold") as string, nodes: Number(r.get("nodes")) })),
            "purge",
          );
          const counted = await tx.run(`${match} RETURN n.deletedLabel AS type, count(n) AS c`, params);
          const rels = await tx.run(`${match} MATCH (n)-[r]-() RETURN count(DISTINCT r) AS c`, params);
          const byType: Record<string, number> = {};
          let entities = 0;
          for (const r of counted.records) {
            const c = Number(r.get("c"));
            byType[r.get("type") as string] = c;
            entities += c;
          }
          const relationships = Number(rels.records[0]?.get("c") ?? 0);
          const plan = { dryRun, graceDays, deletedBefore, entities, relationships, byType };
          if (dryRun || !entities) return { ...plan, record: null };
          await tx.run(`${match} DETACH DELETE n`, params);
          const record = await purges.forTenant(caller.tenantId).insertOne({
            _id: randomUUID(),
            entities,
            relationships,
            byType,
            graceDays,
            deletedBefore,
            by: caller.userId,
            at: new Date(deps.now()),
          });
          deps.logger.info({ tenantId: caller.tenantId, entities, relationships }, "purged soft-deleted entities");
          return { ...plan, record };
        });
      } finally {
        await s.close();
      }
    },

    async purgeRecords(principal: Principal) {
      const caller = requireUser(principal);
      return purges.forTenant(caller.tenantId).find({}, { sort: { at: -1 }, limit: 100 });
    },
  };
}
