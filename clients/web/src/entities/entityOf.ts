/** The entity page's view of whichever entity the query found: kind, label, properties, provenance, marking and score. */
import type { EntityByIdQuery, TlpMarking } from "../api/generated/graphql.ts";

export interface Provenance {
  createdAt: string;
  source: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
  sources: string[] | null;
  ingestJobIds: string[] | null;
  recordHash: string | null;
}

/** What threat intel adds to every entity: its TLP marking and its confidence score. */
export interface IntelFacts {
  marking: TlpMarking;
  score: number | null;
  /** The score's parts as JSON text (scoring writes it). */
  scoreBreakdown: string | null;
  scoredAt: string | null;
}

/** An indicator's analyst verdict and suppression, for the feedback buttons and the suppression note. */
export interface IndicatorState {
  feedback: string | null;
  feedbackBy: string | null;
  feedbackAt: string | null;
  suppressed: boolean | null;
  suppressedBy: string | null;
  suppressedAt: string | null;
}

export interface Entity {
  kind: string;
  label: string;
  properties: Array<[string, string]>;
  provenance: Provenance;
  intel: IntelFacts;
  /** Only for indicators. */
  indicator?: IndicatorState;
}

type Found = Provenance & IntelFacts;
const text = (v: string | number | null | undefined) => (v == null || v === "" ? "—" : String(v));
const list = (v: readonly string[] | null | undefined) => (v?.length ? v.join(", ") : "—");
const intelOf = (e: Found): IntelFacts => ({ marking: e.marking, score: e.score, scoreBreakdown: e.scoreBreakdown, scoredAt: e.scoredAt });
const make = (kind: string, label: string, properties: Array<[string, string]>, e: Found): Entity => ({
  kind,
  label,
  properties,
  provenance: e,
  intel: intelOf(e),
});

/** The one entity the query found, whatever its type. */
export function entityOf(data: EntityByIdQuery): Entity | null {
  const [p] = data.people;
  if (p) return make("Person", p.name, [["E-mail", text(p.email)]], p);
  const [o] = data.organizations;
  if (o) return make("Organization", o.name, [["Sector", text(o.sector)]], o);
  const [d] = data.domains;
  if (d) return make("Domain", d.name, [], d);
  const [a] = data.ipAddresses;
  if (a) return make("IPAddress", a.address, [["Version", text(a.version)]], a);
  const [i] = data.indicators;
  if (i) {
    const entity = make(
      "Indicator",
      i.pattern,
      [
        ["Kind", i.kind],
        ["Description", text(i.description)],
        ["Indicator types", list(i.indicatorTypes)],
        ["Valid from", text(i.validFrom)],
        ["Valid until", text(i.validUntil)],
        ["Sightings", text(i.sightings)],
      ],
      i,
    );
    const { feedback, feedbackBy, feedbackAt, suppressed, suppressedBy, suppressedAt } = i;
    return { ...entity, indicator: { feedback, feedbackBy, feedbackAt, suppressed, suppressedBy, suppressedAt } };
  }
  const [n] = data.incidents;
  if (n)
    return make(
      "Incident",
      n.title,
      [
        ["Severity", text(n.severity)],
        ["Status", text(n.status)],
      ],
      n,
    );
  const [s] = [
    ...data.threatActors,
    ...data.intrusionSets,
    ...data.campaigns,
    ...data.malwares,
    ...data.tools,
    ...data.attackPatterns,
    ...data.vulnerabilities,
  ];
  if (s) {
    const properties: Array<[string, string]> = [
      ["Description", text(s.description)],
      ["Aliases", list(s.aliases)],
      ["External references", list(s.externalReferences)],
      ["STIX id", text(s.stixId)],
    ];
    if (s.__typename === "AttackPattern") properties.unshift(["ATT&CK id", text(s.attackId)]);
    if (s.__typename === "Vulnerability") properties.unshift(["CVE id", text(s.cveId)]);
    return make(s.__typename, s.name, properties, s);
  }
  return null;
}
