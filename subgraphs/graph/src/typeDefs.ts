import { incidentTypeDefs } from "./incidents/incidentTypeDefs.ts";

/**
 * The first intelligence model. Every node carries `tenantId`, set from the
 * caller's principal on create (never from input) and enforced on every read,
 * write, nested operation and traversal by `@authorization`, which also
 * refuses changes to an entity under legal hold (`legalHeld`).
 */
const tenantScoped = `
  @authorization(
    filter: [{ where: { node: { tenantId: { eq: "$jwt.tenantId" } } } }]
    validate: [
      { when: [BEFORE], operations: [READ, UPDATE, DELETE, CREATE_RELATIONSHIP, DELETE_RELATIONSHIP], where: { node: { tenantId: { eq: "$jwt.tenantId" } } } }
      { when: [BEFORE], operations: [UPDATE, DELETE, CREATE_RELATIONSHIP, DELETE_RELATIONSHIP], where: { node: { NOT: { legalHeld: { eq: true } } } } }
      { when: [AFTER], operations: [CREATE, UPDATE, CREATE_RELATIONSHIP, DELETE_RELATIONSHIP], where: { node: { tenantId: { eq: "$jwt.tenantId" } } } }
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
  type ${name} @node @key(fields: "id") ${tenantScoped} {
    ${common}
    ${body}
  }
`;

export const typeDefs = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])

  type JWT @jwt {
    tenantId: String
    roles: [String!]
  }

  "Why two things are linked, and how sure we are."
  type Evidence @relationshipProperties {
    "0 (guess) to 1 (certain)."
    confidence: Float!
    "Where the link came from, e.g. a report or feed."
    source: String!
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
    memberOf: [Organization!]! @relationship(type: "MEMBER_OF", direction: OUT, properties: "Evidence")`,
  )}

  ${entity(
    "Organization",
    `name: String!
    sector: String
    members: [Person!]! @relationship(type: "MEMBER_OF", direction: IN, properties: "Evidence")
    domains: [Domain!]! @relationship(type: "OWNS", direction: OUT, properties: "Evidence")`,
  )}

  ${entity(
    "Domain",
    `name: String!
    owner: [Organization!]! @relationship(type: "OWNS", direction: IN, properties: "Evidence")
    resolvesTo: [IPAddress!]! @relationship(type: "RESOLVES_TO", direction: OUT, properties: "Evidence")`,
  )}

  ${entity(
    "IPAddress",
    `address: String!
    version: Int
    domains: [Domain!]! @relationship(type: "RESOLVES_TO", direction: IN, properties: "Evidence")`,
  )}

  ${entity(
    "Indicator",
    `pattern: String!
    kind: String!
    description: String
    domains: [Domain!]! @relationship(type: "INDICATES", direction: OUT, properties: "Evidence")
    ipAddresses: [IPAddress!]! @relationship(type: "INDICATES", direction: OUT, properties: "Evidence")
    incidents: [Incident!]! @relationship(type: "OBSERVED_IN", direction: OUT, properties: "Evidence")`,
  )}

  ${entity(
    "Incident",
    `title: String!
    severity: String
    status: String
    ${externalIncidentFields}
    indicators: [Indicator!]! @relationship(type: "OBSERVED_IN", direction: IN, properties: "Evidence")
    affects: [Organization!]! @relationship(type: "AFFECTS", direction: OUT, properties: "Evidence")`,
  )}

  ${incidentTypeDefs}
`;
