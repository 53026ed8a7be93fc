/** Questions in plain words over the tenant's graph (docs/ask.md). */
export const askTypeDefs = /* GraphQL */ `
  enum AskMode {
    "Interpret and compile only: show the Cypher, run nothing."
    PREVIEW
    "Interpret, compile and run (in a read transaction with a timeout and a row cap)."
    RUN
  }

  "A node a result was built from (for drawing the result as a graph)."
  type AskNode {
    id: ID!
    "Its kind: Person, Organization, Domain, IPAddress, Indicator or Incident."
    label: String!
    "Its name, title, address or pattern (its id when it has none)."
    name: String!
  }

  "A relationship between two of the result's nodes, in the schema's direction."
  type AskEdge {
    from: ID!
    type: String!
    to: ID!
  }

  type AskResult {
    question: String!
    "What the question was taken to mean, in plain words; null when it could not be interpreted."
    interpretation: String
    "The compiled, tenant-scoped Cypher (copyable); null when the question could not be interpreted."
    cypher: String
    "Its parameters, tenant included."
    parameters: JSON
    "0 (a guess) to 1 (certain)."
    confidence: Float!
    reasons: [String!]!
    "How to ask better, when the question is weak or could not be interpreted."
    hints: [String!]!
    "Whether the query ran (RUN, and confident enough or confirmed)."
    ran: Boolean!
    "RUN was asked but confidence is below the threshold: ask again with confirm: true to run it."
    needsConfirmation: Boolean!
    columns: [String!]!
    "One object per row, keyed by column (when it ran)."
    rows: [JSON!]!
    "More rows matched than the row cap."
    truncated: Boolean!
    """
    The nodes the returned rows were built from (RUN only; at most 500, returned ones first): the
    returned nodes of a list and the others on the first 1,000 paths of its rows; for a count only
    the things it is grouped by (none for a plain count).
    """
    nodes: [AskNode!]!
    "The relationships between those nodes that the rows' paths followed (at most 1,000; none for a count)."
    edges: [AskEdge!]!
  }

  "A tenant's own askGraph settings (tenant admins set them)."
  type TenantAskSettings {
    "Under this confidence RUN previews only until the analyst confirms (default 0.7)."
    confidenceThreshold: Float!
    updatedBy: ID
    updatedAt: String
  }

  input TenantAskSettingsInput {
    "0.3 to 1."
    confidenceThreshold: Float!
  }

  type Mutation {
    setTenantAskSettings(input: TenantAskSettingsInput!): TenantAskSettings!
  }

  type Query {
    tenantAskSettings: TenantAskSettings!
    """
    Ask the graph a question in plain words. Refused with QUESTION_REFUSED for writes, pasted
    Cypher, procedure calls or other tenants; QUERY_TOO_EXPENSIVE when the plan is too large.
    """
    askGraph(question: String!, mode: AskMode! = PREVIEW, confirm: Boolean = false): AskResult!
  }
`;
