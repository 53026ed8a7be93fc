import { gql } from "graphql-tag";

export const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])

  "Roles a user holds in their tenant. See docs/security.md for what each may do."
  enum Role {
    ADMIN
    ANALYST
    VIEWER
    COMPLIANCE
    OPERATOR
    SUPPORT
    BILLING
  }

  enum Plan {
    FREE
    TEAM
    ENTERPRISE
  }

  type Tenant @key(fields: "id") {
    id: ID!
    name: String!
    slug: String!
    "Data residency region, e.g. eu-west-1."
    region: String!
    plan: Plan!
    createdAt: String!
  }

  type User @key(fields: "id") {
    id: ID!
    email: String!
    displayName: String
    role: Role!
    tenant: Tenant!
    createdAt: String!
  }

  type Session {
    "Session JWT: send as Authorization: Bearer <token>."
    token: String!
    expiresAt: String!
    "Single-use: trade it for a new session with refreshSession before refreshExpiresAt."
    refreshToken: String!
    refreshExpiresAt: String!
    user: User!
  }

  input CreateTenantInput {
    name: String!
    "URL-safe handle; derived from the name when omitted."
    slug: String
    region: String!
    plan: Plan!
  }

  input CreateUserInput {
    email: String!
    password: String!
    displayName: String
    role: Role!
    "Only a platform admin may create users in another tenant."
    tenantId: ID
  }

  "An API token for integrators. The secret is shown once, at creation."
  type ApiToken @key(fields: "id") {
    id: ID!
    name: String!
    "Permissions it carries, e.g. graph:read (never more than its creator holds)."
    scopes: [String!]!
    "The first characters of the token, to recognise it."
    prefix: String!
    createdBy: ID!
    createdAt: String!
    expiresAt: String
    revokedAt: String
    lastUsedAt: String
    lastUsedIp: String
  }

  type CreatedApiToken {
    "The token itself: store it now, it is never shown again. Send as Authorization: Bearer <token>."
    token: String!
    apiToken: ApiToken!
  }

  input CreateApiTokenInput {
    name: String!
    scopes: [String!]!
    "ISO-8601; at most a year away. No expiry when omitted."
    expiresAt: String
  }

  type Query {
    "The signed-in user."
    me: User
    "The signed-in user's tenant."
    myTenant: Tenant
    "Users of the signed-in user's tenant (admins only)."
    users: [User!]!
    "Your API tokens (all of the tenant's with users:manage)."
    apiTokens: [ApiToken!]!
  }

  type Mutation {
    "Creates a tenant (platform admins only)."
    createTenant(input: CreateTenantInput!): Tenant!
    "Creates a user in the caller's tenant (tenant admins), or in any tenant (platform admins)."
    createUser(input: CreateUserInput!): User!
    "Exchanges e-mail and password for a session token."
    login(email: String!, password: String!): Session!
    "Trades a refresh token for a new session (and a new refresh token). Reusing one ends every session of that sign-in."
    refreshSession(refreshToken: String!): Session!
    "Creates an API token with scopes you hold."
    createApiToken(input: CreateApiTokenInput!): CreatedApiToken!
    "Revokes a token at once (yours, or any with users:manage)."
    revokeApiToken(id: ID!): ApiToken!
  }
`;
