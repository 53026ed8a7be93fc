import { gql } from "graphql-tag";

export const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  enum AuditOutcome {
    SUCCESS
    FAILURE
  }

  type AuditActor {
    userId: ID
    "user, token or anonymous"
    kind: String!
    "The API token used, when kind is token."
    tokenId: ID
  }

  "One recorded state change (or attempted change) in a tenant."
  type AuditEvent @key(fields: "id") {
    id: ID!
    tenantId: ID!
    actor: AuditActor!
    "The mutation that ran, e.g. createPeople."
    action: String!
    service: String!
    targetType: String
    targetIds: [ID!]!
    outcome: AuditOutcome!
    errorCode: String
    requestId: String!
    "Mutation arguments as JSON, with secrets redacted."
    arguments: String!
    at: String!
  }

  input AuditEventFilter {
    action: String
    actorId: ID
    targetId: ID
    outcome: AuditOutcome
    "ISO-8601 lower bound (inclusive)."
    since: String
    "ISO-8601 upper bound (exclusive)."
    until: String
  }

  type AuditPageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }

  type AuditEventConnection {
    nodes: [AuditEvent!]!
    pageInfo: AuditPageInfo!
  }

  type Query {
    "Audit events of the caller's tenant, newest first (admins and compliance)."
    auditEvents(filter: AuditEventFilter, first: Int, after: String): AuditEventConnection!
  }

  type Subscription {
    "Every audit event recorded in the caller's tenant from now on."
    auditEventRecorded: AuditEvent!
  }
`;
