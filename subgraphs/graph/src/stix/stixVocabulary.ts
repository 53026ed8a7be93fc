/**
 * How the STIX 2.1 domain objects we import and export map to graph types and
 * properties, in one table both directions read, so an export re-imports as
 * the same graph. Plain fields map one to one; external references, ATT&CK
 * and CVE ids, kill-chain phases and report object_refs are handled by the
 * importer (stixObjects.ts) and the exporter (stixBundle.ts).
 */
import { STIX_DOMAIN_OBJECTS } from "../ingest/graphModel.ts";
export type StixFieldKind = "text" | "list" | "boolean" | "datetime";

export interface StixField {
  /** The graph property. */
  prop: string;
  /** The STIX property. */
  stix: string;
  kind: StixFieldKind;
}

export interface StixDomainType {
  stixType: string;
  label: string;
  fields: readonly StixField[];
}

const field = (prop: string, stix: string, kind: StixFieldKind = "text"): StixField => ({ prop, stix, kind });
const named = [field("name", "name"), field("description", "description")];
const aliased = [...named, field("aliases", "aliases", "list")];

/** STIX domain objects by STIX type (report → ThreatReport: our analyst `Report` is another thing). */
export const STIX_DOMAIN_TYPES: Readonly<Record<string, StixDomainType>> = Object.fromEntries(
  (
    [
      [
        "threat-actor",
        "ThreatActor",
        [
          ...aliased,
          field("threatActorTypes", "threat_actor_types", "list"),
          field("sophistication", "sophistication"),
          field("resourceLevel", "resource_level"),
          field("primaryMotivation", "primary_motivation"),
        ],
      ],
      [
        "intrusion-set",
        "IntrusionSet",
        [
          ...aliased,
          field("goals", "goals", "list"),
          field("resourceLevel", "resource_level"),
          field("primaryMotivation", "primary_motivation"),
        ],
      ],
      ["campaign", "Campaign", [...aliased, field("objective", "objective")]],
      ["malware", "Malware", [...aliased, field("malwareTypes", "malware_types", "list"), field("isFamily", "is_family", "boolean")]],
      ["tool", "Tool", [...aliased, field("toolTypes", "tool_types", "list")]],
      ["attack-pattern", "AttackPattern", aliased],
      ["vulnerability", "Vulnerability", named],
      ["report", "ThreatReport", [...named, field("published", "published", "datetime"), field("reportTypes", "report_types", "list")]],
    ] as const
  ).map(([stixType, label, fields]) => [stixType, { stixType, label, fields }]),
);

/** Graph label → STIX domain type. */
export const STIX_TYPE_OF_LABEL: Readonly<Record<string, StixDomainType>> = Object.fromEntries(
  Object.values(STIX_DOMAIN_TYPES).map((t) => [t.label, t]),
);

/** STIX relationship types we import between any built-in shapes, as graph relationship types. */
export const STIX_RELATIONSHIP_TYPES: Readonly<Record<string, string>> = {
  uses: "USES",
  targets: "TARGETS",
  "attributed-to": "ATTRIBUTED_TO",
  indicates: "INDICATES",
  exploits: "EXPLOITS",
  "variant-of": "VARIANT_OF",
  "related-to": "RELATED_TO",
};

/** The labels `related-to` links between (it has no typed field; neighbourhood and export see it). */
export const RELATED_TO_LABELS = new Set<string>([...STIX_DOMAIN_OBJECTS, "Indicator"]);

/** Where an ATT&CK technique id and a CVE id sit in `external_references`. */
export const ATTACK_SOURCE = "mitre-attack";
export const CVE_SOURCE = "cve";
export const CVE_ID = /^CVE-\d{4}-\d{4,}$/i;
