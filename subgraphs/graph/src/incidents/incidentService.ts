/**
 * Upserts an Incident from an external system by (tenant, system, externalId).
 * The tenant comes from the principal, never from input; a uniqueness
 * constraint on that triple makes concurrent MERGEs of one incident create it
 * once. A held Incident (or a held indicator) is never changed.
 */
import { createHash } from "node:crypto";
import type { Driver } from "neo4j-driver";
import { z } from "zod";
import {
  appError,
  DEFAULT_ENTITY_MARKING,
  ErrorCode,
  requireUser,
  systemClock,
  validateInput,
  type AuditHints,
  type Clock,
  type Principal,
} from "@intelgraph/kit";

const text = (max: number) => z.string().trim().max(max);

const indicatorInput = z.object({
  pattern: text(2000).min(1, "required"),
  kind: text(40).min(1, "required"),
  description: text(4000).nullish(),
});

const upsertInput = z.object({
  source: text(200).min(1, "required"),
  input: z.object({
    system: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, "lower-case letters, digits, - and _, e.g. servicenow"),
    externalId: text(200).min(1, "required"),
    number: text(100).nullish(),
    title: text(500).min(1, "required"),
    description: text(20_000).nullish(),
    severity: text(40).nullish(),
    status: text(40).nullish(),
    urgency: z.number().int().min(1).max(5).nullish(),
    impact: z.number().int().min(1).max(5).nullish(),
    externalUpdatedAt: z.iso.datetime({ offset: true, error: "an ISO 8601 date-time" }).nullish(),
    indicators: z.array(indicatorInput).max(500).nullish(),
  }),
});

export type ExternalIncidentInput = z.output<typeof upsertInput>["input"];

/** Hash of the record as given (sorted keys), so an unchanged re-ingest is recognised. */
export function recordHashOf(source: string, input: ExternalIncidentInput): string {
  const canonical = JSON.stringify(
    {
      source,
      ...input,
      indicators: [...(input.indicators ?? [])].sort((a, b) => `${a.kind}:${a.pattern}`.localeCompare(`${b.kind}:${b.pattern}`)),
    },
    (_key, value: unknown) =>
      value && typeof value === "object" && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
        : value,
  );
  return createHash("sha256").update(canonical).digest("hex");
}

const UPSERT = `
  OPTIONAL MATCH (existing:Incident {tenantId: $tenantId, externalSystem: $system, externalId: $externalId})
  WITH existing
  CALL {
    WITH existing
    WITH existing WHERE existing IS NOT NULL AND coalesce(existing.legalHeld, false)
    RETURN count(*) AS held
  }
  WITH existing, held
  WHERE held = 0
  MERGE (i:Incident {tenantId: $tenantId, externalSystem: $system, externalId: $externalId})
  ON CREATE SET i.id = randomUUID(), i.createdAt = datetime($now), i.firstSeen = datetime($now), i.sources = [$source], i.__created = true,
                i.marking = $defaultMarking
  WITH i, i.recordHash = $hash AS same, coalesce(i.__created, false) AS created
  REMOVE i.__created
  SET i.lastSeen = datetime($now), i.source = $source,
      i.sources = CASE WHEN $source IN coalesce(i.sources, []) THEN i.sources ELSE coalesce(i.sources, []) + $source END
  FOREACH (_ IN CASE WHEN same THEN [] ELSE [1] END |
    SET i.title = $props.title, i.description = $props.description, i.severity = $props.severity, i.status = $props.status,
        i.urgency = $props.urgency, i.impact = $props.impact, i.externalNumber = $props.number,
        i.externalUpdatedAt = CASE WHEN $props.externalUpdatedAt IS NULL THEN null ELSE datetime($props.externalUpdatedAt) END,
        i.recordHash = $hash, i.updatedAt = CASE WHEN created THEN i.updatedAt ELSE datetime($now) END)
  WITH i, same, created
  CALL {
    WITH i
    UNWIND $indicators AS ind
    MERGE (n:Indicator {tenantId: $tenantId, kind: ind.kind, pattern: ind.pattern})
    ON CREATE SET n.id = randomUUID(), n.createdAt = datetime($now), n.firstSeen = datetime($now), n.description = ind.description,
                  n.source = $source, n.sources = [$source], n.marking = $defaultMarking, n.suppressed = false
    WITH i, n WHERE NOT coalesce(n.legalHeld, false)
    SET n.lastSeen = datetime($now)
    MERGE (n)-[r:OBSERVED_IN]->(i)
    ON CREATE SET r.confidence = 0.8, r.source = $source, r.firstSeen = datetime($now)
    SET r.lastSeen = datetime($now), r.recordHash = $hash
    RETURN count(n) AS linked
  }
  RETURN i.id AS id, created, same, linked`;

export interface IncidentServiceDeps {
  driver: Driver;
  database: string;
  /** @default systemClock */
  now?: Clock;
}

export function createIncidentService({ driver, database, now = systemClock }: IncidentServiceDeps) {
  return {
    /** The uniqueness MERGE relies on (idempotent). */
    async ensureConstraints(): Promise<void> {
      const session = driver.session({ database });
      try {
        await session.run(
          "CREATE CONSTRAINT incident_external IF NOT EXISTS FOR (n:Incident) REQUIRE (n.tenantId, n.externalSystem, n.externalId) IS UNIQUE",
        );
      } finally {
        await session.close();
      }
    },

    async upsertExternal(principal: Principal, args: { source: string; input: unknown }, hints: AuditHints) {
      const caller = requireUser(principal);
      const { source, input } = validateInput(upsertInput, args);
      const hash = recordHashOf(source, input);
      const session = driver.session({ database });
      try {
        const result = await session.executeWrite((tx) =>
          tx.run(UPSERT, {
            tenantId: caller.tenantId,
            system: input.system,
            externalId: input.externalId,
            source,
            hash,
            defaultMarking: DEFAULT_ENTITY_MARKING,
            now: new Date(now()).toISOString(),
            props: {
              title: input.title,
              description: input.description ?? null,
              severity: input.severity ?? null,
              status: input.status ?? null,
              urgency: input.urgency ?? null,
              impact: input.impact ?? null,
              number: input.number ?? null,
              externalUpdatedAt: input.externalUpdatedAt ?? null,
            },
            indicators: (input.indicators ?? []).map((i) => ({ ...i, description: i.description ?? null })),
          }),
        );
        const row = result.records[0];
        if (!row) {
          throw appError(ErrorCode.LEGAL_HOLD, `The incident ${input.system}:${input.externalId} is under legal hold and cannot change.`, {
            externalId: input.externalId,
          });
        }
        const incidentId = row.get("id") as string;
        hints.targetIds = [incidentId];
        hints.targetType = "Incident";
        return {
          incidentId,
          created: row.get("created") as boolean,
          changed: !(row.get("same") as boolean),
          recordHash: hash,
          indicatorsLinked: Number(row.get("linked")),
        };
      } finally {
        await session.close();
      }
    },
  };
}

export type IncidentService = ReturnType<typeof createIncidentService>;
