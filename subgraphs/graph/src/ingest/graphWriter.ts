import type { DeadLetterCode } from "./mapRecord.ts";
/**
 * Writes mapped records to Neo4j: one transaction per batch, one
 * `UNWIND … MERGE` statement per entity label and per relationship shape.
 * Ids are deterministic, so a replayed batch (after a crash) merges into
 * what it wrote before instead of doubling it. Every node and relationship
 * carries provenance: source, job ids, record hash, first and last seen.
 */
import neo4j, { type Driver, type ManagedTransaction } from "neo4j-driver";
import { DEFAULT_ENTITY_MARKING, highestMarking, TLP_MARKINGS, type TlpMarking } from "@intelgraph/kit";
import { ENTITY_TYPE_NAME, RELATIONSHIP_TYPE_NAME } from "./mappingSpec.ts";
import type { MappedEntity, MappedRecord, PropertyValue } from "./mapRecord.ts";

export interface WriteContext {
  tenantId: string;
  jobId: string;
  source: string;
  /** When the job started: first/last seen of what it writes. */
  seenAt: string;
  /** The TLP marking of what it creates when the record names none (a record's own `marking` property wins). */
  defaultMarking?: TlpMarking;
}

export interface BatchRecord {
  index: number;
  mapped: MappedRecord;
}

/** One entity of one record, as written. */
export interface EntityMention extends Omit<MappedEntity, "alias"> {
  recordIndex: number;
  recordHash: string;
  /** The record that created the entity, read back after the write. */
  createdBy?: string;
}

export interface BatchResult {
  entitiesCreated: number;
  /** Mentions that resolved onto an entity another record created. */
  merged: EntityMention[];
  relationshipsWritten: number;
}

/** The batch wrote something the graph must not hold (an edge to a missing node, another tenant's id, a held entity); the transaction is rolled back. */
export class RecordRefusedError extends Error {
  constructor(
    message: string,
    /** Dead-letter code for the record: WRITE_FAILED, or LEGAL_HOLD for an entity under legal hold. */
    readonly code: DeadLetterCode = "WRITE_FAILED",
  ) {
    super(message);
  }
}

const label = (name: string, pattern: RegExp) => {
  // Labels cannot be parameters; they are checked against the mapping's own rules before use.
  if (!pattern.test(name)) throw new Error(`refusing to write label ${JSON.stringify(name)}`);
  return `\`${name}\``;
};

/**
 * Markings on re-ingest: a write never lowers one. A node or link keeps the
 * highest of its stored marking and the one this write brings (the record's
 * own, else the context's default), so a feed that re-sends an AMBER object
 * as GREEN, or a mapping without markings touching it, cannot expose it to
 * callers cleared for GREEN; lowering a marking is a deliberate edit through
 * the API.
 */
const rank = (expr: string) => `CASE ${expr} ${TLP_MARKINGS.map((m, i) => `WHEN '${m}' THEN ${i}`).join(" ")} ELSE 1 END`;
const keepHighest = (stored: string, incoming: string) =>
  `CASE WHEN ${stored} IS NULL OR ${rank(incoming)} > ${rank(stored)} THEN ${incoming} ELSE ${stored} END`;

// A node of another tenant with the same id, or one under legal hold, is left alone and not
// returned; writeBatch then fails the whole transaction (no procedure call per row: it cost
// ~20 % of the statement).
const nodeStatement = (type: string) => `
  WITH datetime($seenAt) AS seen
  UNWIND $rows AS row
  MERGE (n:${label(type, ENTITY_TYPE_NAME)} {id: row.id})
  ON CREATE SET n.tenantId = $tenantId, n.createdAt = datetime(), n.erKey = row.erKey,
    n.provFirstRecord = row.firstRecord, n.firstSeen = seen, n.source = $source${type === "Indicator" ? ", n.suppressed = false" : ""}
  WITH n, row, seen WHERE n.tenantId = $tenantId AND n.legalHeld IS NULL
  SET n += row.props,
    n.marking = ${keepHighest("n.marking", "coalesce(row.marking, $defaultMarking)")},
    n.lastSeen = CASE WHEN n.lastSeen IS NULL OR n.lastSeen < seen THEN seen ELSE n.lastSeen END,
    n.recordHash = row.lastRecord,
    n.sources = CASE WHEN $source IN coalesce(n.sources, []) THEN n.sources ELSE coalesce(n.sources, []) + $source END,
    n.ingestJobIds = CASE WHEN $jobId IN coalesce(n.ingestJobIds, []) THEN n.ingestJobIds ELSE (coalesce(n.ingestJobIds, []) + $jobId)[-20..] END
  RETURN row.id AS id, n.provFirstRecord AS createdBy`;

const edgeStatement = (from: string, type: string, to: string) => `
  WITH datetime($seenAt) AS seen
  UNWIND $rows AS row
  MATCH (a:${label(from, ENTITY_TYPE_NAME)} {id: row.from})
  MATCH (b:${label(to, ENTITY_TYPE_NAME)} {id: row.to})
  WHERE a.tenantId = $tenantId AND b.tenantId = $tenantId
  MERGE (a)-[r:${label(type, RELATIONSHIP_TYPE_NAME)}]->(b)
  ON CREATE SET r.firstSeen = seen, r.source = $source, r.jobId = $jobId, r.recordHash = row.recordHash, r.confidence = row.confidence
  SET r.marking = ${keepHighest("r.marking", "coalesce(row.marking, $defaultMarking)")},
    r.lastSeen = CASE WHEN r.lastSeen IS NULL OR r.lastSeen < seen THEN seen ELSE r.lastSeen END,
    r.confidence = CASE WHEN r.confidence IS NULL OR row.confidence > r.confidence THEN row.confidence ELSE r.confidence END
  RETURN count(r) AS written`;

/**
 * STIX sightings: an indicator keeps `sighting-id=count` for each sighting
 * counted into it (`stixSightings`), so a re-imported sighting replaces its
 * own count (a new version may raise it) instead of adding it twice; counts
 * from elsewhere in `sightings` are left as they are.
 */
const sightingStatement = `
  UNWIND $rows AS row
  MATCH (i:Indicator {id: row.indicator})
  WHERE i.tenantId = $tenantId AND i.legalHeld IS NULL
  WITH i, row, [s IN coalesce(i.stixSightings, []) WHERE split(s, '=')[0] IN row.ids] AS replaced
  SET i.sightings = coalesce(i.sightings, 0) - reduce(t = 0, s IN replaced | t + toInteger(split(s, '=')[1])) + row.total,
    i.stixSightings = [s IN coalesce(i.stixSightings, []) WHERE NOT split(s, '=')[0] IN row.ids] + row.entries
  RETURN count(i) AS written`;

interface NodeRow {
  id: string;
  erKey: string;
  firstRecord: string;
  lastRecord: string;
  props: Record<string, PropertyValue>;
}

interface EdgeRow {
  from: string;
  to: string;
  recordHash: string;
  confidence: number;
  marking?: TlpMarking;
}

/** Two mentions' markings folded: the highest; none when neither names one. */
const foldMarking = (a: unknown, b: unknown): TlpMarking | undefined =>
  a === undefined && b === undefined ? undefined : highestMarking([a, b].filter((m) => m !== undefined) as TlpMarking[]);

/** A node row as the statement takes it: its marking apart from the properties `n += row.props` sets. */
const nodeParam = ({ props, ...row }: NodeRow) => {
  const { marking, ...rest } = props;
  return { ...row, props: rest, marking: marking ?? null };
};

/** Groups a batch into per-label node rows and per-shape edge rows; repeated mentions fold into one row. */
export function planBatch(records: BatchRecord[]) {
  const nodes = new Map<string, Map<string, NodeRow>>();
  const mentions: EntityMention[] = [];
  const edges = new Map<string, Map<string, EdgeRow>>();
  for (const { index, mapped } of records) {
    for (const entity of mapped.entities) {
      const rows = nodes.get(entity.type) ?? new Map<string, NodeRow>();
      nodes.set(entity.type, rows);
      const existing = rows.get(entity.id);
      if (existing) {
        const marking = foldMarking(existing.props["marking"], entity.props["marking"]);
        Object.assign(existing.props, entity.props);
        if (marking) existing.props["marking"] = marking;
        existing.lastRecord = mapped.recordHash;
      } else
        rows.set(entity.id, {
          id: entity.id,
          erKey: entity.erKey,
          firstRecord: mapped.recordHash,
          lastRecord: mapped.recordHash,
          props: { ...entity.props },
        });
      mentions.push({ recordIndex: index, recordHash: mapped.recordHash, ...pick(entity) });
    }
    for (const edge of mapped.edges) {
      const shape = `${edge.fromType}\u0000${edge.type}\u0000${edge.toType}`;
      const rows = edges.get(shape) ?? new Map<string, EdgeRow>();
      edges.set(shape, rows);
      const key = `${edge.fromId}>${edge.toId}`;
      const existing = rows.get(key);
      if (existing) {
        existing.confidence = Math.max(existing.confidence, edge.confidence);
        const marking = foldMarking(existing.marking, edge.marking);
        if (marking) existing.marking = marking;
      } else {
        const row: EdgeRow = { from: edge.fromId, to: edge.toId, recordHash: mapped.recordHash, confidence: edge.confidence };
        if (edge.marking) row.marking = edge.marking;
        rows.set(key, row);
      }
    }
  }
  return { nodes, edges, mentions, sightings: sightingRows(records) };
}

/** One row per indicator: its sightings by id (a repeated id keeps the higher count) and their total. */
function sightingRows(records: BatchRecord[]) {
  const byIndicator = new Map<string, Map<string, number>>();
  for (const { mapped } of records)
    for (const s of mapped.sightings ?? []) {
      const counts = byIndicator.get(s.indicatorId) ?? new Map<string, number>();
      byIndicator.set(s.indicatorId, counts);
      counts.set(s.sightingId, Math.max(counts.get(s.sightingId) ?? 0, s.count));
    }
  return [...byIndicator].map(([indicator, counts]) => ({
    indicator,
    ids: [...counts.keys()],
    entries: [...counts].map(([id, count]) => `${id}=${count}`),
    total: neo4j.int([...counts.values()].reduce((a, b) => a + b, 0)),
  }));
}

const pick = ({ type, id, erKey, rawKey, keyRules, props }: MappedRecord["entities"][number]) => ({
  type,
  id,
  erKey,
  rawKey,
  keyRules,
  props,
});

export async function writeBatch(driver: Driver, database: string, ctx: WriteContext, records: BatchRecord[]): Promise<BatchResult> {
  const plan = planBatch(records);
  const params = {
    tenantId: ctx.tenantId,
    jobId: ctx.jobId,
    source: ctx.source,
    seenAt: ctx.seenAt,
    defaultMarking: ctx.defaultMarking ?? DEFAULT_ENTITY_MARKING,
  };
  const createdBy = new Map<string, string>();
  let relationshipsWritten = 0;
  const session = driver.session({ database });
  try {
    await session.executeWrite(async (tx: ManagedTransaction) => {
      createdBy.clear();
      relationshipsWritten = 0;
      for (const [type, rows] of plan.nodes) {
        const result = await tx.run(nodeStatement(type), { ...params, rows: [...rows.values()].map(nodeParam) });
        if (result.records.length !== rows.size) {
          const mine = new Set(result.records.map((r) => r.get("id") as string));
          const refused = [...rows.keys()].filter((id) => !mine.has(id));
          const held = await tx.run(
            `UNWIND $ids AS id MATCH (n:${label(type, ENTITY_TYPE_NAME)} {id: id}) WHERE n.tenantId = $tenantId AND n.legalHeld RETURN n.id AS id, n.legalHolds AS holds`,
            {
              ids: refused,
              tenantId: ctx.tenantId,
            },
          );
          if (held.records.length)
            throw new RecordRefusedError(
              `entity ${held.records
                .map((r) => r.get("id"))
                .slice(0, 3)
                .join(
                  ", ",
                )} is under legal hold ${[...new Set(held.records.flatMap((r) => r.get("holds") as string[]))].join(", ")} and cannot be changed`,
              "LEGAL_HOLD",
            );
          throw new RecordRefusedError(`entity ${refused.slice(0, 3).join(", ")} belongs to another tenant`);
        }
        for (const r of result.records) createdBy.set(r.get("id") as string, r.get("createdBy") as string);
      }
      for (const [shape, rows] of plan.edges) {
        const [from, type, to] = shape.split("\u0000") as [string, string, string];
        const result = await tx.run(edgeStatement(from, type, to), {
          ...params,
          rows: [...rows.values()].map((row) => ({ ...row, marking: row.marking ?? null })),
        });
        const written = Number(result.records[0]?.get("written") ?? 0);
        // An end missing here would silently drop a relationship; fail the batch instead.
        if (written !== rows.size)
          throw new RecordRefusedError(`${rows.size - written} ${type} relationship(s) point at entities that do not exist`);
        relationshipsWritten += written;
      }
      if (plan.sightings.length) {
        const result = await tx.run(sightingStatement, { tenantId: ctx.tenantId, rows: plan.sightings });
        const written = Number(result.records[0]?.get("written") ?? 0);
        if (written !== plan.sightings.length)
          throw new RecordRefusedError(
            `${plan.sightings.length - written} sighting(s) point at indicators that do not exist or are under legal hold`,
          );
      }
    });
  } finally {
    await session.close();
  }
  // A mention merged when its entity was created by another record (deterministic across replays).
  const merged: EntityMention[] = [];
  const firstInBatch = new Set<string>();
  let entitiesCreated = 0;
  for (const mention of plan.mentions) {
    const creator = createdBy.get(mention.id);
    mention.createdBy = creator;
    if (creator === mention.recordHash && !firstInBatch.has(mention.id)) {
      firstInBatch.add(mention.id);
      entitiesCreated++;
    } else if (creator !== mention.recordHash) merged.push(mention);
  }
  return { entitiesCreated, merged, relationshipsWritten };
}
