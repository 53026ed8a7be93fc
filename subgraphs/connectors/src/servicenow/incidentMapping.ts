/**
 * Our Incident ↔ a ServiceNow incident, through the connector's mapping
 * (docs/connectors/servicenow.md has the table).
 */
import type { ConnectorMapping } from "../connectorConfig.ts";
import { INCIDENT_STATE, serviceNowTimeToIso, type IncidentRecord } from "./contract.ts";

export interface OurIncident {
  id: string;
  title: string;
  description: string | null;
  severity: string | null;
  status: string | null;
  indicators: Array<{ pattern: string; kind: string }>;
}

/** Our stable id of the incident in ServiceNow's correlation_id: a retry finds what the first attempt created. */
export const correlationIdOf = (incidentId: string) => `intelgraph:${incidentId}`;

/** The Table API fields of a create or update (work notes apart). */
export function toServiceNowFields(incident: OurIncident, mapping: ConnectorMapping): Record<string, string> {
  const row = mapping.severity.find((r) => r.severity === (incident.severity ?? "").toLowerCase());
  const fields: Record<string, string> = {
    short_description: incident.title.slice(0, 160),
    description: incident.description ?? "",
    urgency: String(row?.urgency ?? mapping.defaultUrgency),
    impact: String(row?.impact ?? mapping.defaultImpact),
    correlation_id: correlationIdOf(incident.id),
    correlation_display: "IntelGraph",
  };
  if (mapping.assignmentGroup) fields["assignment_group"] = mapping.assignmentGroup;
  if (mapping.category) fields["category"] = mapping.category;
  if (mapping.callerId) fields["caller_id"] = mapping.callerId;
  return fields;
}

/** The related indicators as one work note (ServiceNow keeps every work note in the journal). */
export function indicatorNote(indicators: OurIncident["indicators"]): string | null {
  if (!indicators.length) return null;
  const lines = [...indicators].sort((a, b) => `${a.kind}:${a.pattern}`.localeCompare(`${b.kind}:${b.pattern}`));
  return `IntelGraph indicators (${lines.length}):\n${lines.map((i) => `- ${i.kind}: ${i.pattern}`).join("\n")}`;
}

const STATE_NAMES: Record<string, string> = {
  [INCIDENT_STATE.NEW]: "new",
  [INCIDENT_STATE.IN_PROGRESS]: "in_progress",
  [INCIDENT_STATE.ON_HOLD]: "on_hold",
  [INCIDENT_STATE.RESOLVED]: "resolved",
  [INCIDENT_STATE.CLOSED]: "closed",
  [INCIDENT_STATE.CANCELED]: "canceled",
};

/**
 * Indicators ServiceNow sends us: the custom field `u_intelgraph_indicators`,
 * a JSON array of `{ kind, pattern }` or lines of `kind:pattern`.
 */
export function indicatorsOf(record: IncidentRecord): Array<{ kind: string; pattern: string }> {
  const raw = (record as Record<string, unknown>)["u_intelgraph_indicators"];
  const items: unknown[] = Array.isArray(raw)
    ? raw
    : typeof raw === "string" && raw.trim()
      ? raw.trim().startsWith("[")
        ? (JSON.parse(raw) as unknown[])
        : raw.split(/\r?\n/).filter((line) => line.includes(":"))
      : [];
  return items.flatMap((item) => {
    if (typeof item === "string") {
      const at = item.indexOf(":");
      return [{ kind: item.slice(0, at).trim(), pattern: item.slice(at + 1).trim() }];
    }
    const { kind, pattern } = (item ?? {}) as { kind?: unknown; pattern?: unknown };
    return typeof kind === "string" && typeof pattern === "string" ? [{ kind, pattern }] : [];
  });
}

/** A ServiceNow incident as the graph's ExternalIncidentInput. */
export function fromServiceNow(record: IncidentRecord, mapping: ConnectorMapping) {
  const urgency = record.urgency ? Number(record.urgency) : null;
  const impact = record.impact ? Number(record.impact) : null;
  const severity =
    mapping.severity.find((r) => r.urgency === urgency && r.impact === impact) ?? mapping.severity.find((r) => r.urgency === urgency);
  return {
    system: "servicenow",
    externalId: record.sys_id,
    number: record.number,
    title: record.short_description || record.number,
    description: record.description ?? null,
    severity: severity?.severity ?? null,
    status: STATE_NAMES[record.state] ?? record.state,
    urgency: urgency && urgency >= 1 && urgency <= 5 ? urgency : null,
    impact: impact && impact >= 1 && impact <= 5 ? impact : null,
    externalUpdatedAt: serviceNowTimeToIso(record.sys_updated_on),
    indicators: indicatorsOf(record),
  };
}
