/** The entity page's view of whichever entity the query found: kind, label, properties and provenance. */
import type { EntityByIdQuery } from "../api/generated/graphql.ts";

export interface Provenance {
  createdAt: string;
  source: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
  sources: string[] | null;
  ingestJobIds: string[] | null;
  recordHash: string | null;
}

export interface Entity {
  kind: string;
  label: string;
  properties: Array<[string, string]>;
  provenance: Provenance;
}

/** The one entity the query found, whatever its type. */
export function entityOf(data: EntityByIdQuery): Entity | null {
  const text = (v: string | number | null | undefined) => (v == null || v === "" ? "—" : String(v));
  const [p] = data.people;
  if (p) return { kind: "Person", label: p.name, properties: [["E-mail", text(p.email)]], provenance: p };
  const [o] = data.organizations;
  if (o) return { kind: "Organization", label: o.name, properties: [["Sector", text(o.sector)]], provenance: o };
  const [d] = data.domains;
  if (d) return { kind: "Domain", label: d.name, properties: [], provenance: d };
  const [a] = data.ipAddresses;
  if (a) return { kind: "IPAddress", label: a.address, properties: [["Version", text(a.version)]], provenance: a };
  const [i] = data.indicators;
  if (i)
    return {
      kind: "Indicator",
      label: i.pattern,
      properties: [
        ["Kind", i.kind],
        ["Description", text(i.description)],
      ],
      provenance: i,
    };
  const [n] = data.incidents;
  if (n)
    return {
      kind: "Incident",
      label: n.title,
      properties: [
        ["Severity", text(n.severity)],
        ["Status", text(n.status)],
      ],
      provenance: n,
    };
  return null;
}
