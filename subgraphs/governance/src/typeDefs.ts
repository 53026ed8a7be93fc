import { residencyLabelTypeDefs } from "@intelgraph/kit";
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
    "The legal entity that holds the tenant's data."
    legalEntity: String!
    "The label and policy every export of this tenant's data carries; exports leave only to this region."
    residency: ResidencyLabel!
    plan: Plan!
    "What the tenant may use now: its plan's limits, or a platform admin's override."
    limits: TenantLimits!
    createdAt: String!
  }

  enum LimitsSource {
    PLAN
    OVERRIDE
  }

  type TenantLimits {
    "Sustained requests per second."
    ratePerSecond: Int!
    "Requests allowed at once before the rate applies."
    burst: Int!
    "Long jobs (imports, ingests, exports) running at the same time."
    concurrentJobs: Int!
    source: LimitsSource!
    "Why a platform admin changed them (OVERRIDE only)."
    reason: String
    setAt: String
  }

  input TenantLimitsInput {
    "Omitted fields keep the plan's value; omit all three to go back to the plan."
    ratePerSecond: Int
    burst: Int
    concurrentJobs: Int
    reason: String!
  }

  enum UserField {
    ROLE
    DISPLAY_NAME
    ACTIVE
  }

  enum UserSource {
    MANUAL
    IMPORT
  }

  "A field an admin changed by hand: imports leave it alone until the override is released."
  type UserOverride {
    field: UserField!
    value: String
    reason: String!
    setBy: ID!
    setAt: String!
  }

  "TLP 2.0 (https://www.first.org/tlp/); AMBER_STRICT is TLP:AMBER+STRICT. The same enum as the graph's."
  enum TlpMarking {
    CLEAR
    GREEN
    AMBER
    AMBER_STRICT
    RED
  }

  type User @key(fields: "id") {
    id: ID!
    email: String!
    displayName: String
    role: Role!
    """
    The highest TLP marking they may see in the graph: set by an admin, else the role default (ADMIN RED, others AMBER).
    A change applies from their next sign-in or session refresh.
    """
    clearance: TlpMarking!
    "Deactivated users cannot sign in, refresh a session or use their API tokens."
    active: Boolean!
    "The identity provider's id, for imported users."
    externalId: String
    source: UserSource!
    "False for imported users until an admin sets a password."
    hasPassword: Boolean!
    overrides: [UserOverride!]!
    tenant: Tenant!
    createdAt: String!
  }

  input UpdateUserInput {
    role: Role
    displayName: String
    active: Boolean
    "Why (kept with the override and in the audit trail)."
    reason: String!
    "Let imports manage these fields again."
    releaseOverrides: [UserField!]
  }

  enum ImportFormat {
    CSV
    JSON
  }

  input ImportUsersInput {
    format: ImportFormat!
    """
    The file's content. CSV with a header row: email, role, displayName, externalId, active.
    JSON: an array of such objects, or a SCIM ListResponse ({"Resources": [{userName, externalId, displayName, active, roles: [{value}]}]}).
    """
    data: String!
    "Compute and return the diff without changing anything."
    dryRun: Boolean
    "Deactivate imported users who are not in the file."
    deprovisionMissing: Boolean
  }

  enum UserImportAction {
    CREATE
    UPDATE
    DEACTIVATE
    UNCHANGED
  }

  type UserFieldChange {
    field: UserField!
    from: String
    to: String
  }

  type UserImportChange {
    action: UserImportAction!
    email: String!
    externalId: String
    "Null for users a dry run would create."
    userId: ID
    changes: [UserFieldChange!]!
    "What the file asks for but a manual override keeps (from = kept value, to = the file's)."
    keptOverrides: [UserFieldChange!]!
  }

  type UserImportRowError {
    row: Int!
    email: String
    message: String!
  }

  type UserImportResult {
    dryRun: Boolean!
    "False for dry runs; an import with bad rows is refused as a whole."
    applied: Boolean!
    created: Int!
    updated: Int!
    deactivated: Int!
    unchanged: Int!
    changes: [UserImportChange!]!
    errors: [UserImportRowError!]!
  }

  enum TokenAlertRule {
    "A token used from an IP address it was never used from."
    NEW_IP
    "Many refused (FORBIDDEN) requests by one token in a short window."
    DENIED_BURST
    "A token used after a long time without use."
    DORMANT_USE
  }

  type TokenAlert {
    id: ID!
    rule: TokenAlertRule!
    tokenId: ID!
    tokenName: String!
    tokenPrefix: String!
    "The user the token acts for."
    userId: ID!
    ip: String
    detail: String!
    requestId: String
    raisedAt: String!
  }

  "Per-tenant API token anomaly rules; a null threshold means the rule is off."
  type TokenAlertRules {
    newIp: Boolean!
    deniedBurst: Int
    deniedWindowSeconds: Int!
    dormantDays: Int
    updatedAt: String
    updatedBy: ID
  }

  enum TokenAlertThresholdRule {
    DENIED_BURST
    DORMANT_USE
  }

  input TokenAlertRulesInput {
    newIp: Boolean
    "Refusals within deniedWindowSeconds that raise DENIED_BURST (at least 2)."
    deniedBurst: Int
    deniedWindowSeconds: Int
    "Days without use after which a use raises DORMANT_USE."
    dormantDays: Int
    "Turn these threshold rules off."
    disable: [TokenAlertThresholdRule!]
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

  ${residencyLabelTypeDefs}

  input CreateTenantInput {
    name: String!
    "URL-safe handle; derived from the name when omitted."
    slug: String
    region: String!
    "The legal entity that holds the tenant's data; the tenant's name when omitted."
    legalEntity: String
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
    "The highest TLP marking it may see (always held to its creator's current clearance too); null: its creator's."
    clearance: TlpMarking
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
    "The highest TLP marking it may see, at most yours; yours (as it is at each use) when omitted."
    clearance: TlpMarking
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
    "The tenant's API token anomaly rules."
    tokenAlertRules: TokenAlertRules!
    "Recent API token alerts, newest first (at most 200)."
    tokenAlerts(first: Int, tokenId: ID): [TokenAlert!]!
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
    "Changes a tenant's plan limits (platform admins; audited with the reason)."
    setTenantLimits(tenantId: ID!, input: TenantLimitsInput!): Tenant!
    "Changes a user's role, name or active state by hand; the change survives later imports until released."
    updateUser(id: ID!, input: UpdateUserInput!): User!
    "Sets the highest TLP marking a user may see (never above your own); it applies from their next sign-in or refresh."
    setUserClearance(userId: ID!, clearance: TlpMarking!): User!
    "Sets a user's password (e.g. one created by an import) and ends their refreshable sessions."
    setUserPassword(id: ID!, password: String!): User!
    "SCIM-lite provisioning from CSV or JSON: idempotent, all-or-nothing, with a dry run that returns the diff."
    importUsers(input: ImportUsersInput!): UserImportResult!
    "Changes the tenant's API token anomaly rules (others keep their value)."
    setTokenAlertRules(input: TokenAlertRulesInput!): TokenAlertRules!
  }

  type Subscription {
    "API token alerts of your tenant as they are raised."
    tokenAlertRaised: TokenAlert!
  }
`;
