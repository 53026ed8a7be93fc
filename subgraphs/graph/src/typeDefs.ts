import { incidentTypeDefs } from "./incidents/incidentTypeDefs.ts";

/**
 * The intelligence model. Every node carries `tenantId`, set from the
 * caller's principal on create (never from input), and a TLP `marking`; both
 * are enforced on every read, write, nested operation and traversal by
 * `@authorization`: a caller sees only its tenant's nodes marked at or below
 * its clearance (`$jwt.markings`, the markings up to it) and cannot create or
 * mark a node above it. It also refuses changes to an entity under legal
 * hold (`legalHeld`).
 */
const visible = `node: { tenantId: { eq: "$jwt.tenantId" }, marking: { in: "$jwt.markings" } }`;
/**
 * Reads of indicators also leave out the suppressed ones (suppression/; `suppressedIndicators` lists them).
 * `NOT suppressed = true` is null — so false — for a node without the property: every writer sets it
 * false on create (ingest, incidents, the API's populatedBy) and the graph's start sets it on older ones.
 */
const listed = (type: string) =>
  type === "Indicator"
    ? `node: { tenantId: { eq: "$jwt.tenantId" }, marking: { in: "$jwt.markings" }, NOT: { suppressed: { eq: true } } }`
    : visible;
const tenantScoped = (type: string) => `
  @authorization(
    filter: [{ where: { ${listed(type)} } }]
    validate: [
      { when: [BEFORE], operations: [READ, UPDATE, DELETE, CREATE_RELATIONSHIP, DELETE_RELATIONSHIP], where: { ${visible} } }
      { when: [BEFORE], operations: [UPDATE, DELETE, CREATE_RELATIONSHIP, DELETE_RELATIONSHIP], where: { node: { NOT: { legalHeld: { eq: true } } } } }
      { when: [AFTER], operations: [CREATE, UPDATE, CREATE_RELATIONSHIP, DELETE_RELATIONSHIP], where: { ${visible} } }
    ]
  )
  @authentication(operations: [READ, AGGREGATE, CREATE, UPDATE, DELETE, CREATE_RELATIONSHIP, DELETE_RELATIONSHIP])
`;

const common = `
  id: ID! @id
  tenantId: String! @populatedBy(callback: "tenantId", operations: [CREATE]) @settable(onCreate: false, onUpdate: false)
  createdAt: DateTime! @timestamp(operations: [CREATE]) @settable(onCreate: false, onUpdate: false)
  updatedAt: DateTime @timestamp(operations: [UPDATE]) @settable(onCreate: false, onUpdate: false)
  source: String
  "Provenance, set by ingest: when and from where this entity was first and last seen."
  firstSeen: DateTime @settable(onCreate: false, onUpdate: false)
  lastSeen: DateTime @settable(onCreate: false, onUpdate: false)
  sources: [String!] @settable(onCreate: false, onUpdate: false)
  "The last 20 ingest jobs that wrote this entity."
  ingestJobIds: [String!] @settable(onCreate: false, onUpdate: false)
  "Hash of the last source record that wrote this entity."
  recordHash: String @settable(onCreate: false, onUpdate: false)
  "Active legal holds on this entity (see placeLegalHold); while any is, it cannot be changed or deleted."
  legalHolds: [String!] @settable(onCreate: false, onUpdate: false)
  legalHeld: Boolean @settable(onCreate: false, onUpdate: false)
  "TLP 2.0 marking: who may see it (a caller cleared below it never does). From the source, the mapping, or GREEN."
  marking: TlpMarking! @default(value: GREEN)
  "The STIX id it was imported with (a STIX export reuses it, so a bundle round-trips)."
  stixId: String @settable(onCreate: false, onUpdate: false)
  "Confidence 0–100 (see docs/threat-intel.md); set by scoring, never by hand."
  score: Int @settable(onCreate: false, onUpdate: false)
  "The score's parts as JSON text (source reliability, corroboration, sightings, age decay, feedback)."
  scoreBreakdown: String @settable(onCreate: false, onUpdate: false)
  scoredAt: DateTime @settable(onCreate: false, onUpdate: false)
`;

/** STIX domain objects share these. */
const stixCommon = `
  name: String!
  description: String
  aliases: [String!]
  "STIX external references as \`source:external_id\` (e.g. \`mitre-attack:T1566\`, \`cve:CVE-2024-3400\`)."
  externalReferences: [String!]
  indicatedBy: [Indicator!]! @relationship(type: "INDICATES", direction: IN, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
`;

/** Set only by upsertExternalIncident (incidents/): an Incident that came from ServiceNow or another system. */
const externalIncidentFields = `
  description: String
  externalSystem: String @settable(onCreate: false, onUpdate: false)
  externalId: String @settable(onCreate: false, onUpdate: false)
  externalNumber: String @settable(onCreate: false, onUpdate: false)
  externalUpdatedAt: DateTime @settable(onCreate: false, onUpdate: false)
  urgency: Int @settable(onCreate: false, onUpdate: false)
  impact: Int @settable(onCreate: false, onUpdate: false)
`;

const entity = (name: string, body: string) => `
  type ${name} @node @key(fields: "id") ${tenantScoped(name)} {
    ${common}
    ${body}
  }
`;

export const typeDefs = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])

  type JWT @jwt {
    tenantId: String
    roles: [String!]
    "The TLP markings at or below the caller's clearance."
    markings: [String!]
  }

  "TLP 2.0 (https://www.first.org/tlp/); AMBER_STRICT is TLP:AMBER+STRICT."
  enum TlpMarking {
    CLEAR
    GREEN
    AMBER
    AMBER_STRICT
    RED
  }

  # The unions' own root queries are off: @neo4j/graphql 7.6 cannot apply @authorization there (an internal error on any call).
  "The STIX domain objects an indicator can indicate."
  union StixDomainObject @query(read: false) = ThreatActor | IntrusionSet | Campaign | Malware | Tool | AttackPattern | Vulnerability

  "What a STIX report can reference."
  union IntelObject @query(read: false) =
    | ThreatActor
    | IntrusionSet
    | Campaign
    | Malware
    | Tool
    | AttackPattern
    | Vulnerability
    | Indicator
    | Organization
    | Person
    | Domain
    | IPAddress
    | Incident

  "Why two things are linked, and how sure we are."
  type Evidence @relationshipProperties {
    "0 (guess) to 1 (certain)."
    confidence: Float!
    "Where the link came from, e.g. a report or feed."
    source: String!
    "TLP 2.0 marking of the link itself (its ends carry their own)."
    marking: TlpMarking
    "Provenance, set by ingest."
    jobId: String @settable(onCreate: false, onUpdate: false)
    recordHash: String @settable(onCreate: false, onUpdate: false)
    firstSeen: DateTime @settable(onCreate: false, onUpdate: false)
    lastSeen: DateTime @settable(onCreate: false, onUpdate: false)
  }

  ${entity(
    "Person",
    `name: String!
    email: String
    memberOf: [Organization!]! @relationship(type: "MEMBER_OF", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)`,
  )}

  ${entity(
    "Organization",
    `name: String!
    sector: String
    members: [Person!]! @relationship(type: "MEMBER_OF", direction: IN, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    domains: [Domain!]! @relationship(type: "OWNS", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)`,
  )}

  ${entity(
    "Domain",
    `name: String!
    owner: [Organization!]! @relationship(type: "OWNS", direction: IN, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    resolvesTo: [IPAddress!]! @relationship(type: "RESOLVES_TO", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)`,
  )}

  ${entity(
    "IPAddress",
    `address: String!
    version: Int
    domains: [Domain!]! @relationship(type: "RESOLVES_TO", direction: IN, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)`,
  )}

  ${entity(
    "Indicator",
    `pattern: String!
    kind: String!
    description: String
    indicatorTypes: [String!]
    validFrom: DateTime
    validUntil: DateTime
    "How often it was sighted (STIX sightings, ingest); feeds the score."
    sightings: Int @settable(onCreate: false, onUpdate: false)
    "An analyst's verdict: CONFIRMED or FALSE_POSITIVE (see setIndicatorFeedback)."
    feedback: String @settable(onCreate: false, onUpdate: false)
    feedbackBy: String @settable(onCreate: false, onUpdate: false)
    feedbackAt: DateTime @settable(onCreate: false, onUpdate: false)
    "Hidden from default lists, answers and exports by a suppression rule (suppressedBy names it); still stored."
    suppressed: Boolean @populatedBy(callback: "notSuppressed", operations: [CREATE]) @settable(onCreate: false, onUpdate: false)
    suppressedBy: String @settable(onCreate: false, onUpdate: false)
    suppressedAt: DateTime @settable(onCreate: false, onUpdate: false)
    "The STIX objects it indicates (threat actors, malware, campaigns…)."
    indicates: [StixDomainObject!]! @relationship(type: "INDICATES", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    domains: [Domain!]! @relationship(type: "INDICATES", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    ipAddresses: [IPAddress!]! @relationship(type: "INDICATES", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    incidents: [Incident!]! @relationship(type: "OBSERVED_IN", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)`,
  )}

  ${entity(
    "Incident",
    `title: String!
    severity: String
    status: String
    ${externalIncidentFields}
    indicators: [Indicator!]! @relationship(type: "OBSERVED_IN", direction: IN, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    affects: [Organization!]! @relationship(type: "AFFECTS", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)`,
  )}

  ${entity(
    "ThreatActor",
    `${stixCommon}
    threatActorTypes: [String!]
    sophistication: String
    resourceLevel: String
    primaryMotivation: String
    usesMalware: [Malware!]! @relationship(type: "USES", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    usesTools: [Tool!]! @relationship(type: "USES", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    usesAttackPatterns: [AttackPattern!]! @relationship(type: "USES", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    targetsOrganizations: [Organization!]! @relationship(type: "TARGETS", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    targetsVulnerabilities: [Vulnerability!]! @relationship(type: "TARGETS", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)`,
  )}

  ${entity(
    "IntrusionSet",
    `${stixCommon}
    goals: [String!]
    resourceLevel: String
    primaryMotivation: String
    usesMalware: [Malware!]! @relationship(type: "USES", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    usesTools: [Tool!]! @relationship(type: "USES", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    usesAttackPatterns: [AttackPattern!]! @relationship(type: "USES", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    targetsOrganizations: [Organization!]! @relationship(type: "TARGETS", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    targetsVulnerabilities: [Vulnerability!]! @relationship(type: "TARGETS", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    attributedTo: [ThreatActor!]! @relationship(type: "ATTRIBUTED_TO", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)`,
  )}

  ${entity(
    "Campaign",
    `${stixCommon}
    objective: String
    usesMalware: [Malware!]! @relationship(type: "USES", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    usesTools: [Tool!]! @relationship(type: "USES", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    usesAttackPatterns: [AttackPattern!]! @relationship(type: "USES", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    targetsOrganizations: [Organization!]! @relationship(type: "TARGETS", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    targetsVulnerabilities: [Vulnerability!]! @relationship(type: "TARGETS", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    attributedToActors: [ThreatActor!]! @relationship(type: "ATTRIBUTED_TO", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    attributedToIntrusionSets: [IntrusionSet!]! @relationship(type: "ATTRIBUTED_TO", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)`,
  )}

  ${entity(
    "Malware",
    `${stixCommon}
    malwareTypes: [String!]
    isFamily: Boolean
    usesTools: [Tool!]! @relationship(type: "USES", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    usesAttackPatterns: [AttackPattern!]! @relationship(type: "USES", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    targetsOrganizations: [Organization!]! @relationship(type: "TARGETS", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    targetsVulnerabilities: [Vulnerability!]! @relationship(type: "TARGETS", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    exploits: [Vulnerability!]! @relationship(type: "EXPLOITS", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    variantOf: [Malware!]! @relationship(type: "VARIANT_OF", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)`,
  )}

  ${entity(
    "Tool",
    `${stixCommon}
    toolTypes: [String!]
    targetsOrganizations: [Organization!]! @relationship(type: "TARGETS", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    targetsVulnerabilities: [Vulnerability!]! @relationship(type: "TARGETS", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)`,
  )}

  ${entity(
    "AttackPattern",
    `${stixCommon}
    "The MITRE ATT&CK technique id, e.g. T1566.001."
    attackId: String
    killChainPhases: [String!]
    targetsOrganizations: [Organization!]! @relationship(type: "TARGETS", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)
    targetsVulnerabilities: [Vulnerability!]! @relationship(type: "TARGETS", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)`,
  )}

  ${entity(
    "Vulnerability",
    `${stixCommon}
    "The CVE id, e.g. CVE-2024-3400."
    cveId: String`,
  )}

  ${entity(
    "ThreatReport",
    `name: String!
    description: String
    published: DateTime
    reportTypes: [String!]
    externalReferences: [String!]
    "What the report references (any entity; STIX object_refs)."
    objects: [IntelObject!]! @relationship(type: "REFERS_TO", direction: OUT, properties: "Evidence", aggregate: false) @filterable(byValue: true, byAggregate: false)`,
  )}

  ${incidentTypeDefs}
`;
