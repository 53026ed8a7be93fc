/**
 * `stixBundle`: a STIX 2.1 bundle of a selection (the given entities and the
 * relationships among them) or of a ThreatReport (the report, what it refers
 * to and the relationships among those). Everything is read with the caller's
 * tenant and clearance (visibility.ts): nothing marked above the clearance,
 * no suppressed indicator, a relationship only when both ends and the link
 * itself are visible. A selection's ids that are not visible to the caller
 * (unknown, another tenant's, above the clearance, suppressed) are left out
 * alike, so an export never tells which; when none is visible it is
 * NOT_FOUND. Metered as an export (EXPORTS) and audited (a query is not
 * audited by kit, so the service records it).
 */
import neo4j, { isDateTime, type Driver } from "neo4j-driver";
import { z } from "zod";
import {
  appError,
  ErrorCode,
  requireUser,
  validateInput,
  type AuditRecorder,
  type Clock,
  type Principal,
  type TlpMarking,
  type UsageRecorder,
} from "@intelgraph/kit";
import { BUILT_IN_ENTITIES } from "../ingest/graphModel.ts";
import { plain } from "../neo4jValues.ts";
import { markingsParam, nodeVisible, relationshipVisible } from "../visibility.ts";
import { buildStixBundle, EXPORTED_RELATIONSHIP_TYPES, type ExportEdge, type ExportNode } from "./stixBundle.ts";

export interface StixExportDeps {
  driver: Driver;
  database: string;
  audit: AuditRecorder;
  usage: UsageRecorder;
  now: Clock;
}

export interface StixBundleExport {
  fileName: string;
  contentType: string;
  content: string;
  marking: TlpMarking;
  objectCount: number;
}

const MAX_IDS = 1000;

const inputSchema = z
  .strictObject({
    ids: z.array(z.string().min(1).max(100)).min(1).max(MAX_IDS).nullish(),
    threatReportId: z.string().min(1).max(100).nullish(),
  })
  .refine((i) => (i.ids ? 1 : 0) + (i.threatReportId ? 1 : 0) === 1, {
    message: "give either ids (a selection) or threatReportId (a report), not both or neither",
  });

/** Every entity type a STIX object exists for (tenants' own approved types have none). */
const LABELS = Object.keys(BUILT_IN_ENTITIES);
const label = (l: string) => `\`${l}\``;

/** One index seek per label (a label-less MATCH would scan every node). */
const selectionQuery = `
  CALL {
    ${LABELS.map((l) => `MATCH (n:${label(l)}) WHERE n.id IN $ids RETURN n`).join(" UNION ALL ")}
  }
  WITH n WHERE n.tenantId = $tenantId AND ${nodeVisible("n")}
  RETURN n`;

const reportQuery = `
  MATCH (report:ThreatReport {id: $reportId}) WHERE report.tenantId = $tenantId AND ${nodeVisible("report")}
  OPTIONAL MATCH (report)-[r:REFERS_TO]->(n) WHERE n.tenantId = $tenantId AND ${nodeVisible("n")} AND ${relationshipVisible("r")}
  WITH report, collect(DISTINCT n) AS refs
  UNWIND [report] + refs AS n
  RETURN n`;

const edgesQuery = `
  MATCH (a)-[r]->(b)
  WHERE elementId(a) IN $keys AND elementId(b) IN $keys AND type(r) IN $types
    AND a.tenantId = $tenantId AND b.tenantId = $tenantId AND ${relationshipVisible("r")}
  RETURN elementId(a) AS from, elementId(b) AS to, type(r) AS type, properties(r) AS props`;

/** Neo4j properties as the bundle builder reads them: date-times as ISO 8601 (ms), integers as numbers. */
function exportValue(value: unknown): unknown {
  if (isDateTime(value)) return (value as { toStandardDate(): Date }).toStandardDate().toISOString();
  if (neo4j.isInt(value)) return (value as { toNumber(): number }).toNumber();
  if (Array.isArray(value)) return value.map(exportValue);
  return plain(value);
}
const exportProps = (props: Record<string, unknown>) => Object.fromEntries(Object.entries(props).map(([k, v]) => [k, exportValue(v)]));

interface RawNode {
  elementId: string;
  labels: string[];
  properties: Record<string, unknown>;
}

export function createStixExport(deps: StixExportDeps) {
  async function read(tenantId: string, markings: string[], input: { ids?: string[] | null; threatReportId?: string | null }) {
    const session = deps.driver.session({ database: deps.database, defaultAccessMode: "READ" });
    try {
      const found = input.ids
        ? await session.run(selectionQuery, { ids: [...new Set(input.ids)], tenantId, markings })
        : await session.run(reportQuery, { reportId: input.threatReportId, tenantId, markings });
      const nodes: ExportNode[] = found.records.map((r) => {
        const n = r.get("n") as RawNode;
        return { key: n.elementId, label: n.labels.find((l) => LABELS.includes(l)) ?? n.labels[0]!, props: exportProps(n.properties) };
      });
      if (!nodes.length) return { nodes, edges: [] };
      const rels = await session.run(edgesQuery, {
        keys: nodes.map((n) => n.key),
        types: EXPORTED_RELATIONSHIP_TYPES,
        tenantId,
        markings,
      });
      const edges: ExportEdge[] = rels.records.map((r) => ({
        from: r.get("from") as string,
        to: r.get("to") as string,
        type: r.get("type") as string,
        props: exportProps(r.get("props") as Record<string, unknown>),
      }));
      return { nodes, edges };
    } finally {
      await session.close();
    }
  }

  return {
    async stixBundle(principal: Principal, args: unknown, requestId: string): Promise<StixBundleExport> {
      const caller = requireUser(principal);
      const input = validateInput(inputSchema, args);
      const { nodes, edges } = await read(caller.tenantId, markingsParam(caller), input);
      if (!nodes.length)
        throw input.threatReportId
          ? appError(ErrorCode.NOT_FOUND, `No threat report ${input.threatReportId} in your tenant.`, {
              threatReportId: input.threatReportId,
            })
          : appError(ErrorCode.NOT_FOUND, "None of the selected entities exists in your tenant (or is visible to you).", {
              ids: input.ids,
            });
      const { bundle, marking, objectCount } = buildStixBundle(nodes, edges);
      const day = new Date(deps.now()).toISOString().slice(0, 10);
      const exportedIds = nodes.map((n) => String(n.props["id"]));
      deps.usage.record({ tenantId: caller.tenantId, quantities: { EXPORTS: 1 }, key: `stix-export:${requestId}` });
      await deps.audit.record({
        tenantId: caller.tenantId,
        actor: { userId: caller.userId, kind: caller.kind, ...(caller.tokenId ? { tokenId: caller.tokenId } : {}) },
        action: "exportStixBundle",
        service: "graph",
        targetType: input.threatReportId ? "ThreatReport" : "StixSelection",
        targetIds: exportedIds.slice(0, 100),
        outcome: "success",
        errorCode: null,
        requestId,
        arguments: { ...input, marking, objectCount },
      });
      return {
        fileName: `${input.threatReportId ? "threat-report" : "stix-selection"}-${day}.stix.json`,
        contentType: "application/stix+json",
        content: JSON.stringify(bundle, null, 2),
        marking,
        objectCount,
      };
    },
  };
}

export type StixExport = ReturnType<typeof createStixExport>;
