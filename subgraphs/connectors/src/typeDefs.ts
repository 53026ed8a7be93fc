import { gql } from "graphql-tag";

export const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  enum ConnectorKind {
    SERVICENOW
  }

  enum SecretSource {
    "The secret is stored encrypted (AES-256-GCM) by the platform."
    ENCRYPTED
    "The secret lives in an external secret manager; only its reference is stored."
    REFERENCE
  }

  "A configured connection to an external system. Secrets are never returned."
  type Connector @key(fields: "id") {
    id: ID!
    kind: ConnectorKind!
    name: String!
    baseUrl: String!
    username: String
    secretSource: SecretSource!
    "For REFERENCE secrets, the reference (e.g. vault://servicenow/prod); null for ENCRYPTED."
    secretRef: String
    createdBy: ID!
    createdAt: String!
  }

  input RegisterConnectorInput {
    kind: ConnectorKind!
    name: String!
    "https:// base URL of the instance, e.g. https://acme.service-now.com"
    baseUrl: String!
    username: String
    "Give exactly one of secret (stored encrypted) or secretRef."
    secret: String
    secretRef: String
  }

  type Query {
    connectors: [Connector!]!
  }

  type Mutation {
    "Registers a connector (admins and operators)."
    registerConnector(input: RegisterConnectorInput!): Connector!
  }
`;
