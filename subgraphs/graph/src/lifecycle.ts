import { randomUUID } from "node:crypto";
import type { Db } from "mongodb";
import neo4j, { type Driver, type ManagedTransaction } from "neo4j-driver";
import { z } from "zod";
import {
  appError,
  createTenantRepository,
  ErrorCode,
  requireUser,
  validateInput,
  type AuthenticatedPrincipal,
  type Logger,
  type Principal,
} from "@intelgraph/kit";

/**
 * The life of graph data after it lands: legal holds, soft delete and
 * restore, retention rules and purge.
 *
 * Soft delete swaps a node's entity label for `Deleted` (keeping the old one
 * in `deletedLabel`): every query @neo4j/graphql writes matches by entity
 * label, so a deleted node drops out of reads, traversals and the
 * neighbourhood at once, and comes back on restore with its relationships.
 * Purge removes soft-deleted nodes for good once the tenant's grace period
 * has passed, and writes a purge record.
 *
 * A legal hold lists its id in `legalHolds` on every node its selector
 * picks (live or soft-deleted) and sets `legalHeld`. Held nodes cannot be
 * updated, deleted, linked or unlinked through the API (LEGAL_HOLD for root
 * updates and deletes, and an `@authorization` rule behind them), soft
 * deleted, or purged.
 */

export const DELETED_LABEL = "Deleted";
const DAY_MS = 86_400_000;

const selectorShape = z
  .object({
    ids: z.array(z.string().min(1).max(100)).min(1).max(1000).nullish(),
    types: z
      .array(z.string().regex(/^[A-Z][A-Za-z0-9]{0,60}$/, "an entity type such as Person"))
      .min(1)
      .max(50)
      .nullish(),
    source: z.string().trim().min(1).max(200).nullish(),
    ingestJobId: z.string().min(1).max(100).nullish(),
    // The case: an Incident and everything linked to it directly.
    incidentId: z.string().min(1).max(100).nullish(),
    olderThanDays: z.number().int().min(1).max(36_500).nullish(),
  })
  .strict()
  .refine((s) => s.ids || s.source || s.ingestJobId || s.incidentId || s.types, {
    message: "a selector needs at least one of ids, types, source, ingestJobId or incidentId",
  });
export type Selector = z.infer<typeof selectorShape>;

const holdInput = z.object({
  name: z.string().trim().min(3, "at least 3 characters").max(200),
  reason: z.string().trim().min(3, "say why (at least 3 characters)").max(1000),
  selector: selectorShape,
  allowOverlap: z.boolean().nullish(),
});
const releaseInput = z.object({ reason: z.string().trim().min(3, "say why (at least 3 characters)").max(1000) });
const deleteInput = z.object({ selector: selectorShape, reason: z.string().trim().min(3, "say why (at least 3 characters)").max(1000) });
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

export interface LegalHold {
  _id: string;
  tenantId: string;
  name: string;
  reason: string;
  owner: string;
  selector: Selector;
  entities: number;
  createdAt: Date;
  releasedAt: Date | null;
  releasedBy: string | null;
  releaseReason: string | null;
}

interface RetentionDoc {
  _id: string;
  tenantId: string;
  rules: Array<{ types?: string[] | null; source?: string | null; olderThanDays: number }>;
  graceDays: number;
  reason: string;
  setBy: string;
  setAt: Date;
}

export interface PurgeRecord {
  _id: string;
  tenantId: string;
  entities: number;
  relationships: number;
  byType: Record<string, number>;
  graceDays: number;
  deletedBefore: Date;
  by: string;
  at: Date;
}

export interface LifecycleDeps {
  db: Db;
  driver: Driver;
  database: string;
  logger: Logger;
  /** Entity labels the tenant has: the built-in ones and its approved types. */
  labelsFor(tenantId: string): Promise<string[]>;
  now?: () => Date;
}

/** Cypher conditions on `n` for a selector (parameters in `params`). */
function conditions(selector: Selector, params: Record<string, unknown>): string[] {
  const where = ["n.tenantId = $tenantId"];
  if (selector.ids) ((params["ids"] = selector.ids), where.push("n.id IN $ids"));
  if (selector.source) ((params["source"] = selector.source), where.push("(n.source = $source OR $source IN coalesce(n.sources, []))"));
  if (selector.ingestJobId) ((params["jobId"] = selector.ingestJobId), where.push("$jobId IN coalesce(n.ingestJobIds, [])"));
  if (selector.olderThanDays) {
    params["cutoff"] = new Date(Date.now() - selector.olderThanDays * DAY_MS).toISOString();
    where.push("coalesce(n.lastSeen, n.updatedAt, n.createdAt) < datetime($cutoff)");
  }
  if (selector.incidentId) {
    params["incidentId"] = selector.incidentId;
    where.push("(n.id = $incidentId OR EXISTS { MATCH (n)--(i:Incident {id: $incidentId}) WHERE i.tenantId = $tenantId })");
  }
  return where;
}

export function createLifecycle(deps: LifecycleDeps) {
  const now = deps.now ?? (() => new Date());
  const holds = createTenantRepository<LegalHold>(deps.db, "graph_legal_holds");
  const retention = createTenantRepository<RetentionDoc>(deps.db, "graph_retention");
  const purges = createTenantRepository<PurgeRecord>(deps.db, "graph_purges");

  const session = (mode: "READ" | "WRITE" = "WRITE") => deps.driver.session({ database: deps.database, defaultAccessMode: mode });

  async function labelsOf(tenantId: string, selector: Selector): Promise<string[]> {
    const labels = await deps.labelsFor(tenantId);
    if (!selector.types) return labels;
    const unknown = selector.types.filter((t) => !labels.includes(t));
    if (unknown.length)
      throw appError(ErrorCode.BAD_USER_INPUT, `Unknown entity type(s): ${unknown.join(", ")}. Known: ${labels.join(", ")}.`, {
        field: "selector.types",
      });
    return selector.types;
  }

  /** `MATCH` for the selected nodes: live ones by entity label, soft-deleted ones by their remembered label. */
  function matchQuery(labels: string[], selector: Selector, params: Record<string, unknown>, which: "live" | "deleted" | "both") {
    const where = conditions(selector, params).join(" AND ");
    params["labels"] = labels;
    const parts: string[] = [];
    // Labels come from the tenant's known types (validated names), never from raw input.
    if (which !== "deleted") for (const l of labels) parts.push(`MATCH (n:\`${l}\`) WHERE ${where} RETURN n`);
    if (which !== "live") parts.push(`MATCH (n:${DELETED_LABEL}) WHERE n.deletedLabel IN $labels AND ${where} RETURN n`);
    return `CALL { ${parts.join(" UNION ")} }`;
  }

  async function activeHoldsOn(tx: ManagedTransaction, match: string, params: Record<string, unknown>) {
    const result = await tx.run(
      `${match} WITH n WHERE n.legalHeld = true UNWIND n.legalHolds AS hold RETURN hold, count(DISTINCT n) AS nodes`,
      params,
    );
    return result.records.map((r) => ({ hold: r.get("hold") as string, nodes: Number(r.get("nodes")) }));
  }

  async function refuseHeld(tenantId: string, found: Array<{ hold: string; nodes: number }>, what: string) {
    if (!found.length) return;
    const named = await holds.forTenant(tenantId).find({ _id: { $in: found.map((f) => f.hold) } as never });
    const names = found.map((f) => `"${named.find((h) => h._id === f.hold)?.name ?? f.hold}" (${f.nodes})`);
    throw appError(ErrorCode.LEGAL_HOLD, `Cannot ${what}: entities are under legal hold ${names.join(", ")}. Release the hold first.`, {
      holds: found.map((f) => ({ id: f.hold, name: named.find((h) => h._id === f.hold)?.name ?? null, entities: f.nodes })),
    });
  }

  async function missingIds(tenantId: string, labels: string[], ids: string[]) {
    const params: Record<string, unknown> = { tenantId };
    const s = session("READ");
    try {
      const found = await s.executeRead((tx) =>
        tx.run(`${matchQuery(labels, { ids }, params, "both")} RETURN collect(n.id) AS ids`, params),
      );
      const have = new Set(found.records[0]?.get("ids") as string[]);
      return ids.filter((id) => !have.has(id));
    } finally {
      await s.close();
    }
  }

  return {
    labelsFor: deps.labelsFor,

    async ensureIndexes() {
      await holds.ensureIndexes();
      await retention.ensureIndexes();
      await purges.ensureIndexes();
      const s = session();
      try {
        await s.run(`CREATE INDEX deleted_tenant IF NOT EXISTS FOR (n:${DELETED_LABEL}) ON (n.tenantId)`);
      } finally {
        await s.close();
      }
    },

    async holds(principal: Principal, includeReleased: boolean) {
      const caller = requireUser(principal);
      return holds.forTenant(caller.tenantId).find(includeReleased ? {} : { releasedAt: null }, { sort: { createdAt: -1 }, limit: 200 });
    },

    /** Holds (ids, names) on the nodes a root update/delete would touch; used by the API guard. */
    async holdNames(tenantId: string, holdIds: string[]) {
      const rows = await holds.forTenant(tenantId).find({ _id: { $in: holdIds } as never });
      return holdIds.map((id) => ({ id, name: rows.find((h) => h._id === id)?.name ?? null }));
    },

    async placeHold(principal: Principal, raw: unknown): Promise<LegalHold> {
      const caller = requireUser(principal);
      const input = validateInput(holdInput, raw);
      const labels = await labelsOf(caller.tenantId, input.selector);
      if (input.selector.ids) {
        const missing = await missingIds(caller.tenantId, labels, input.selector.ids);
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
        createdAt: now(),
        releasedAt: null,
        releasedBy: null,
        releaseReason: null,
      };
      const params: Record<string, unknown> = { tenantId: caller.tenantId, holdId: hold._id };
      const match = matchQuery(labels, input.selector, params, "both");
      const s = session();
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

    async releaseHold(principal: Principal, id: string, raw: unknown): Promise<LegalHold> {
      const caller = requireUser(principal);
      const input = validateInput(releaseInput, raw);
      const hold = await holds.forTenant(caller.tenantId).findOne({ _id: id });
      if (!hold) throw appError(ErrorCode.NOT_FOUND, `No legal hold ${id} in your tenant.`, { id });
      if (hold.releasedAt) throw appError(ErrorCode.CONFLICT, `Legal hold "${hold.name}" was already released.`, { id });
      // One index seek per label (tenant index), never a scan of every node.
      const params: Record<string, unknown> = { tenantId: caller.tenantId, holdId: id };
      const match = matchQuery(await deps.labelsFor(caller.tenantId), {}, params, "both");
      const s = session();
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
        .findOneAndUpdate({ _id: id }, { $set: { releasedAt: now(), releasedBy: caller.userId, releaseReason: input.reason } }))!;
    },

    /** Soft delete: hidden at once, restorable until purged. Refused whole when anything selected is held. */
    async softDelete(principal: Principal, raw: unknown, rule: string | null = null) {
      const caller = requireUser(principal);
      const input = validateInput(deleteInput, raw);
      return this.softDeleteSelected(caller, input.selector, input.reason, rule, { refuseHeld: true });
    },

    async softDeleteSelected(
      caller: AuthenticatedPrincipal,
      selector: Selector,
      reason: string,
      rule: string | null,
      options: { refuseHeld: boolean },
    ) {
      const labels = await labelsOf(caller.tenantId, selector);
      if (selector.ids && options.refuseHeld) {
        const missing = await missingIds(caller.tenantId, labels, selector.ids);
        if (missing.length)
          throw appError(
            ErrorCode.NOT_FOUND,
            `No entity with id(s) ${missing.slice(0, 10).join(", ")} in your tenant; nothing was deleted.`,
            { ids: missing },
          );
      }
      const params: Record<string, unknown> = { tenantId: caller.tenantId, by: caller.userId, reason, rule, at: now().toISOString() };
      const match = matchQuery(labels, selector, params, "live");
      const s = session();
      try {
        return await s.executeWrite(async (tx) => {
          if (options.refuseHeld) await refuseHeld(caller.tenantId, await activeHoldsOn(tx, match, params), "delete");
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
    },

    async restore(principal: Principal, ids: string[]) {
      const caller = requireUser(principal);
      if (!Array.isArray(ids) || !ids.length || ids.length > 1000)
        throw appError(ErrorCode.BAD_USER_INPUT, "Give between 1 and 1000 ids to restore.", { argument: "ids" });
      const s = session();
      try {
        return await s.executeWrite(async (tx) => {
          const rows = await tx.run(
            `MATCH (n:${DELETED_LABEL}) WHERE n.tenantId = $tenantId AND n.id IN $ids RETURN n.id AS id, n.deletedLabel AS label`,
            { tenantId: caller.tenantId, ids },
          );
          const found = new Map(rows.records.map((r) => [r.get("id") as string, r.get("label") as string]));
          const missing = ids.filter((id) => !found.has(id));
          if (missing.length)
            throw appError(
              ErrorCode.NOT_FOUND,
              `No deleted entity with id(s) ${missing.slice(0, 10).join(", ")} (never deleted, or already purged); nothing was restored.`,
              {
                ids: missing,
              },
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

    async deleted(principal: Principal, first: number) {
      const caller = requireUser(principal);
      const setting = await retention.forTenant(caller.tenantId).findOne({ _id: caller.tenantId });
      const s = session("READ");
      try {
        const result = await s.run(
          `MATCH (n:${DELETED_LABEL}) WHERE n.tenantId = $tenantId
           RETURN n.id AS id, n.deletedLabel AS type, toString(n.deletedAt) AS deletedAt, n.deletedBy AS deletedBy, n.deletedReason AS reason,
                  n.deletionRule AS rule, coalesce(n.legalHolds, []) AS legalHolds
           ORDER BY n.deletedAt DESC LIMIT $first`,
          { tenantId: caller.tenantId, first: neo4j.int(Math.min(Math.max(Math.trunc(first), 1), 500)) },
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

    async retention(principal: Principal) {
      const caller = requireUser(principal);
      return retention.forTenant(caller.tenantId).findOne({ _id: caller.tenantId });
    },

    async setRetention(principal: Principal, raw: unknown) {
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
      return (await retention
        .forTenant(caller.tenantId)
        .findOneAndUpdate(
          { _id: caller.tenantId },
          { $set: { rules: input.rules, graceDays: input.graceDays, reason: input.reason, setBy: caller.userId, setAt: now() } },
          { upsert: true },
        ))!;
    },

    /** Soft-deletes what the tenant's rules select; held entities are skipped and counted, never deleted. */
    async applyRetention(principal: Principal, dryRun: boolean) {
      const caller = requireUser(principal);
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
          const params: Record<string, unknown> = { tenantId: caller.tenantId };
          const s = session("READ");
          try {
            const r = await s.run(
              `${matchQuery(await labelsOf(caller.tenantId, selector), selector, params, "live")} RETURN count(n) AS c, sum(CASE WHEN n.legalHeld = true THEN 1 ELSE 0 END) AS held`,
              params,
            );
            const c = Number(r.records[0]?.get("c") ?? 0);
            const held = Number(r.records[0]?.get("held") ?? 0);
            out.push({ rule: i, selected: c, deleted: 0, heldSkipped: held });
          } finally {
            await s.close();
          }
        } else {
          const result = await this.softDeleteSelected(caller, selector, `retention rule ${i}: ${setting.reason}`, `retention:${i}`, {
            refuseHeld: false,
          });
          out.push({ rule: i, selected: result.deleted + result.heldSkipped, deleted: result.deleted, heldSkipped: result.heldSkipped });
        }
      }
      return { dryRun, rules: out };
    },

    /** Removes for good what was soft-deleted before the grace period; refused whole if any of it is held. */
    async purge(principal: Principal, dryRun: boolean) {
      const caller = requireUser(principal);
      const setting = await retention.forTenant(caller.tenantId).findOne({ _id: caller.tenantId });
      const graceDays = setting?.graceDays ?? DEFAULT_GRACE_DAYS;
      const deletedBefore = new Date(now().getTime() - graceDays * DAY_MS);
      const params = { tenantId: caller.tenantId, before: deletedBefore.toISOString() };
      const match = `MATCH (n:${DELETED_LABEL}) WHERE n.tenantId = $tenantId AND n.deletedAt <= datetime($before)`;
      const s = session();
      try {
        return await s.executeWrite(async (tx) => {
          const held = await tx.run(
            `${match} AND n.legalHeld = true UNWIND n.legalHolds AS hold RETURN hold, count(DISTINCT n) AS nodes`,
            params,
          );
          await refuseHeld(
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
            at: now(),
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

export const DEFAULT_GRACE_DAYS = 30;

export type Lifecycle = ReturnType<typeof createLifecycle>;
