/**
 * Incidents from external systems (ServiceNow), upserted by the connectors
 * subgraph through deps.peers as the caller. The fields it sets on Incident
 * (externalSystem, externalId, …) are not settable through the generated
 * mutations; only `upsertExternalIncident` writes them.
 */
export const incidentTypeDefs = /* GraphQL */ `
  input ExternalIndicatorInput {
    pattern: String!
    "e.g. ipv4, domain, sha256, url"
    kind: String!
    description: String
  }

  input ExternalIncidentInput {
    "The external system, e.g. servicenow."
    system: String!
    "Its id of the incident (ServiceNow's sys_id): the upsert key, with system and tenant."
    externalId: String!
    "Its human number, e.g. INC0010001."
    number: String
    title: String!
    description: String
    severity: String
    status: String
    urgency: Int
    impact: Int
    "When the external system last changed it (ISO 8601)."
    externalUpdatedAt: String
    indicators: [ExternalIndicatorInput!]
  }

  type ExternalIncidentUpsert {
    incidentId: ID!
    "True when this call created the Incident."
    created: Boolean!
    "False when the record hash equals the stored one (only lastSeen moved)."
    changed: Boolean!
    recordHash: String!
    indicatorsLinked: Int!
  }

  type Mutation {
    """
    Creates or updates the Incident of (system, externalId) in your tenant, with provenance
    (source, firstSeen, lastSeen, recordHash) and its indicators linked by OBSERVED_IN.
    Refused with LEGAL_HOLD while the Incident is held. Called by the connectors service.
    """
    upsertExternalIncident(source: String!, input: ExternalIncidentInput!): ExternalIncidentUpsert!
  }
`;
