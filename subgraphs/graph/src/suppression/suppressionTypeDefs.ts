/** The suppression API (docs/threat-intel.md § Suppression), served by the graph subgraph. */
export const suppressionTypeDefs = /* GraphQL */ `
  "Built-in allow-lists (data files shipped with the graph service, each with its provenance)."
  enum SuppressionAllowList {
    "RFC 1918, loopback, link-local, shared CGN (RFC 6598), IPv6 loopback, link-local and unique-local."
    PRIVATE_RANGES
    "RFC 5737 and RFC 3849 address ranges; the RFC 2606 / 6761 example names (example.com, .test, localhost…)."
    DOCUMENTATION_RANGES
    "Popular legitimate domains; a subdomain of a listed domain matches."
    TOP_DOMAINS
    "Cloudflare's and Fastly's published address ranges."
    CDN_RANGES
  }

  """
  A rule matches an indicator when every condition it gives holds (at least one is required):
  types (the pattern's observable type such as ipv4-addr, domain-name, url, file, or the pattern type such as stix),
  sources (its source or one of its sources), scoreBelow (scored and below; unscored never matches),
  patternRegex (case-insensitive, over the pattern) and allowLists (the observable's value or host is on one).
  """
  type SuppressionMatch {
    types: [String!]
    sources: [String!]
    scoreBelow: Int
    patternRegex: String
    allowLists: [SuppressionAllowList!]
  }

  input SuppressionMatchInput {
    types: [String!]
    sources: [String!]
    "1 to 101; an indicator with a lower score matches."
    scoreBelow: Int
    "At most 200 characters; no backreferences, look-arounds or repeated groups that repeat or alternate."
    patternRegex: String
    allowLists: [SuppressionAllowList!]
  }

  type SuppressionRule {
    id: ID!
    name: String!
    "Only enabled rules hide indicators; a new rule is disabled unless created with enabled: true (dry-run it first)."
    enabled: Boolean!
    match: SuppressionMatch!
    "Indicators (that you may see) this rule hides now."
    suppressedCount: Int!
    createdBy: ID!
    createdAt: String!
    updatedBy: ID!
    updatedAt: String!
  }

  input CreateSuppressionRuleInput {
    name: String!
    enabled: Boolean
    match: SuppressionMatchInput!
  }

  "Only the fields given change; enabled toggles the rule."
  input UpdateSuppressionRuleInput {
    name: String
    enabled: Boolean
    match: SuppressionMatchInput
  }

  type SuppressionDryRunItem {
    id: ID!
    pattern: String
    "The conditions that matched, e.g. 'type ipv4-addr; 10.0.0.1 on PRIVATE_RANGES'."
    why: String!
    "The rule hiding it now, if any."
    suppressedBy: ID
  }

  "What a rule would hide among the indicators you may see (the same matcher applying uses)."
  type SuppressionDryRun {
    "The stored rule dry-run, or null for a proposed match."
    ruleId: ID
    match: SuppressionMatch!
    "Indicators looked at."
    scanned: Int!
    wouldHide: Int!
    "Of those, how many another rule hides already."
    alreadyHiddenByOtherRules: Int!
    sample: [SuppressionDryRunItem!]!
  }

  type SuppressedIndicator {
    id: ID!
    pattern: String
    kind: String
    source: String
    score: Int
    marking: TlpMarking
    "The id of the rule that hides it."
    suppressedBy: ID!
    suppressedByName: String
    suppressedAt: String
  }

  type SuppressedIndicatorPage {
    total: Int!
    nodes: [SuppressedIndicator!]!
  }

  type SuppressionRuleCount {
    ruleId: ID!
    name: String!
    suppressed: Int!
  }

  type SuppressionApplyResult {
    "Indicators looked at (all of the tenant's, whatever their marking)."
    scanned: Int!
    "Indicators hidden after the run."
    suppressed: Int!
    newlySuppressed: Int!
    "Indicators no rule matches any more, shown again."
    released: Int!
    byRule: [SuppressionRuleCount!]!
  }

  extend type Query {
    "The tenant's suppression rules, oldest first (an indicator two rules match is held by the older)."
    suppressionRules: [SuppressionRule!]!
    "What a stored rule (id) or a proposed match (input) would hide; give exactly one. sampleSize: 0 to 500, default 20."
    dryRunSuppressionRule(id: ID, input: SuppressionMatchInput, sampleSize: Int): SuppressionDryRun!
    "The suppressed indicators (left out of indicators, answers and exports), newest first; ruleId narrows to one rule."
    suppressedIndicators(ruleId: ID, limit: Int, offset: Int): SuppressedIndicatorPage!
  }

  extend type Mutation {
    "Creates a rule; an enabled one applies at once."
    createSuppressionRule(input: CreateSuppressionRuleInput!): SuppressionRule!
    "Changes a rule (name, match, enabled); the tenant's rules are re-applied."
    updateSuppressionRule(id: ID!, input: UpdateSuppressionRuleInput!): SuppressionRule!
    "Deletes a rule; what it hid is shown again unless another rule matches. Returns the id."
    deleteSuppressionRule(id: ID!): ID!
    "Re-applies every enabled rule of the tenant now."
    applySuppressionRules: SuppressionApplyResult!
  }
`;
