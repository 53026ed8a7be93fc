/**
 * Which entities a lifecycle operation applies to (ids, types, source, ingest
 * job, incident, age), and the Cypher that finds them: live nodes by their
 * entity label, soft-deleted ones (label `Deleted`) by the label they had.
 * When `params.markings` is set (a person's operation: `markingsParam`), only
 * entities within that clearance are selected; system jobs (retention) set none.
 */
import { z } from "zod";
import { markingVisible } from "../visibility.ts";

export const DELETED_LABEL = "Deleted";
export const DAY_MS = 86_400_000;

export const selectorShape = z
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

/** Cypher conditions on `n` for a selector (parameters in `params`); ages count back from `now` (ms). */
function conditions(selector: Selector, params: Record<string, unknown>, now: number): string[] {
  const where = ["n.tenantId = $tenantId"];
  if (params["markings"]) where.push(markingVisible("n"));
  if (selector.ids) ((params["ids"] = selector.ids), where.push("n.id IN $ids"));
  if (selector.source) ((params["source"] = selector.source), where.push("(n.source = $source OR $source IN coalesce(n.sources, []))"));
  if (selector.ingestJobId) ((params["jobId"] = selector.ingestJobId), where.push("$jobId IN coalesce(n.ingestJobIds, [])"));
  if (selector.olderThanDays) {
    params["cutoff"] = new Date(now - selector.olderThanDays * DAY_MS).toISOString();
    where.push("coalesce(n.lastSeen, n.updatedAt, n.createdAt) < datetime($cutoff)");
  }
  if (selector.incidentId) {
    params["incidentId"] = selector.incidentId;
    where.push("(n.id = $incidentId OR EXISTS { MATCH (n)--(i:Incident {id: $incidentId}) WHERE i.tenantId = $tenantId })");
  }
  return where;
}

/** `MATCH` for the selected nodes: live ones by entity label, soft-deleted ones by their remembered label. */
export function matchQuery(
  labels: string[],
  selector: Selector,
  params: Record<string, unknown>,
  which: "live" | "deleted" | "both",
  now: number,
) {
  const where = conditions(selector, params, now).join(" AND ");
  params["labels"] = labels;
  const parts: string[] = [];
  // Labels come from the tenant's known types (validated names), never from raw input.
  if (which !== "deleted") for (const l of labels) parts.push(`MATCH (n:\`${l}\`) WHERE ${where} RETURN n`);
  if (which !== "live") parts.push(`MATCH (n:${DELETED_LABEL}) WHERE n.deletedLabel IN $labels AND ${where} RETURN n`);
  return `CALL { ${parts.join(" UNION ")} }`;
}
