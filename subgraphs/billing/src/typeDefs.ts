import { gql } from "graphql-tag";

export const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  "What billing meters per tenant. Counters add up over a day; GRAPH_NODES, GRAPH_RELATIONSHIPS and MONGO_BYTES are sampled daily."
  enum UsageMetric {
    QUERIES
    MUTATIONS
    SUBSCRIPTIONS
    ROWS_RETURNED
    FAILED_OPERATIONS
    INGEST_RECORDS
    NL_QUESTIONS
    MODEL_TOKENS
    REPORTS
    EXPORTS
    GRAPH_NODES
    GRAPH_RELATIONSHIPS
    MONGO_BYTES
  }

  "ROLLUP: computed by the daily job from every event; LIVE: running totals (today, or a day the job has not reached yet)."
  enum UsageSource {
    ROLLUP
    LIVE
  }

  type MetricQuantity {
    metric: UsageMetric!
    quantity: Float!
  }

  "Metered usage of one tenant on one UTC day."
  type UsageDay {
    day: String!
    queries: Int!
    mutations: Int!
    subscriptions: Int!
    "The requested metrics (all when none were named), zero included."
    values: [MetricQuantity!]!
    source: UsageSource!
  }

  type CsvFile {
    filename: String!
    contentType: String!
    content: String!
  }

  enum PlanId {
    FREE
    TEAM
    ENTERPRISE
  }

  "A money amount in the plan's currency (decimal, e.g. 12.5 = 12.50)."
  type MetricPrice {
    metric: UsageMetric!
    label: String!
    "Units one price step buys, e.g. 1000 queries."
    per: Float!
    unitPrice: Float!
    "Units per month included in the plan's fee."
    included: Float!
  }

  type QuotaLimit {
    metric: UsageMetric!
    limit: Float!
  }

  type BillingPlan {
    id: PlanId!
    name: String!
    currency: String!
    monthlyFee: Float!
    "Monthly caps; a metric not listed is unlimited."
    quotas: [QuotaLimit!]!
    prices: [MetricPrice!]!
    features: [String!]!
  }

  type BillingOverride {
    id: ID!
    kind: String!
    metric: UsageMetric
    until: String!
    reason: String!
    grantedBy: ID
    grantedAt: String!
  }

  type QuotaStatus {
    metric: UsageMetric!
    used: Float!
    limit: Float!
    "used / limit × 100."
    percent: Float!
    resetsAt: String!
    "An active override lifts the cap until it ends."
    override: BillingOverride
  }

  type BudgetStatus {
    "Monthly cap on usage charges (beyond the plan's fee and included units); null = no budget."
    monthlyLimit: Float
    spent: Float!
    percent: Float
    thresholds: [Int!]!
    resetsAt: String!
    override: BillingOverride
  }

  type AlertChannels {
    webhookUrl: String
    "True when a webhook signing secret is set (the secret is shown once, by setBillingAlertChannels)."
    webhookSigned: Boolean!
    emails: [String!]!
  }

  type BillingAccount {
    tenantId: ID!
    plan: BillingPlan!
    period: String!
    quotas: [QuotaStatus!]!
    budget: BudgetStatus!
    channels: AlertChannels!
  }

  enum BillingAlertKind {
    BUDGET
    QUOTA
  }

  type AlertDelivery {
    id: ID!
    channel: String!
    target: String!
    status: String!
    attempts: Int!
    lastError: String
    lastStatusCode: Int
    deliveredAt: String
  }

  "A threshold crossed: raised once per period per threshold (and per metric for quotas)."
  type BillingAlert {
    id: ID!
    kind: BillingAlertKind!
    period: String!
    threshold: Int!
    metric: UsageMetric
    "For budgets, money spent; for quotas, units used."
    used: Float!
    limit: Float!
    message: String!
    raisedAt: String!
    deliveries: [AlertDelivery!]!
  }

  enum FunnelStepName {
    CREATED
    FIRST_INGEST
    FIRST_QUESTION
    FIRST_REPORT
    FIRST_EXPORT
  }

  type FunnelStep {
    step: FunnelStepName!
    at: String
    "Seconds from the tenant's creation; null until reached."
    sinceCreatedSeconds: Float
  }

  "The onboarding funnel: created → first ingest → first question → first report → first export (first success)."
  type OnboardingFunnel {
    steps: [FunnelStep!]!
    timeToFirstSuccessSeconds: Float
  }

  type InvoiceLine {
    metric: String!
    description: String!
    quantity: Float!
    included: Float!
    billable: Float!
    per: Float!
    unitPrice: Float!
    amount: Float!
  }

  type InvoiceReceipt {
    id: ID!
    sha256: String!
  }

  enum InvoiceFormat {
    JSON
    CSV
    PDF
  }

  type InvoiceDocument {
    filename: String!
    contentType: String!
    "The file, base64."
    base64: String!
    sha256: String!
  }

  type Invoice {
    id: ID!
    period: String!
    periodStart: String!
    periodEnd: String!
    currency: String!
    planId: PlanId!
    lines: [InvoiceLine!]!
    subtotal: Float!
    total: Float!
    issuedAt: String!
    receipt: InvoiceReceipt!
    document(format: InvoiceFormat!): InvoiceDocument!
  }

  type TenantCost {
    tenantId: ID!
    cost: Float!
    cpuSeconds: Float!
    storageBytes: Float!
    meteredRevenue: Float!
    margin: Float!
    baseline: Float
    deviationRatio: Float
    anomaly: Boolean!
    reason: String
  }

  "One day's measured infrastructure cost against what was attributed to tenants (platform admins)."
  type CostReconciliation {
    day: String!
    infraCost: Float!
    attributedCost: Float!
    unattributedCost: Float!
    "attributed / measured, 0–1 (goal ≥ 0.95)."
    confidence: Float!
    tenants: [TenantCost!]!
    anomalies: [TenantCost!]!
  }

  input BudgetInput {
    "Monthly cap on usage charges; null removes the budget."
    monthlyLimit: Float
    "Percentages that raise an alert once per period; default 50, 80, 100."
    thresholds: [Int!]
  }

  input AlertChannelsInput {
    "HTTPS (or loopback HTTP) URL for signed webhooks; null removes it."
    webhookUrl: String
    emails: [String!]
  }

  type AlertChannelsResult {
    channels: AlertChannels!
    "The webhook signing secret, shown only now when a new webhook URL was set."
    webhookSecret: String
  }

  input OverrideInput {
    "QUOTA needs a metric; BUDGET lifts the budget's soft stop."
    kind: BillingAlertKind!
    metric: UsageMetric
    "When the override ends (ISO time, at most 31 days ahead)."
    until: String!
    reason: String!
  }

  type Query {
    "Per-day usage of the caller's tenant. Dates are YYYY-MM-DD, inclusive; default the last 30 days; all metrics unless some are named."
    usage(from: String, to: String, metrics: [UsageMetric!]): [UsageDay!]!
    "The same days as CSV, one column per metric."
    usageCsv(from: String, to: String, metrics: [UsageMetric!]): CsvFile!
    "Every plan with its quotas, prices and features: the compare table."
    plans: [BillingPlan!]!
    "The tenant's plan, this month's quotas and budget, and alert channels."
    billingAccount: BillingAccount!
    "Alerts raised for the tenant, newest first."
    billingAlerts(first: Int = 50): [BillingAlert!]!
    onboardingFunnel: OnboardingFunnel!
    invoices: [Invoice!]!
    invoice(id: ID!): Invoice
    "Daily cost reconciliation across tenants (platform admins); default yesterday."
    costReconciliation(day: String): CostReconciliation
  }

  type Mutation {
    "Upgrade or downgrade; the new quotas and prices apply at once."
    changePlan(plan: PlanId!): BillingAccount!
    setBudget(input: BudgetInput!): BudgetStatus!
    setBillingAlertChannels(input: AlertChannelsInput!): AlertChannelsResult!
    "A time-boxed override of a quota or of the budget's soft stop, with a reason (audited)."
    grantBillingOverride(input: OverrideInput!): BillingOverride!
    revokeBillingOverride(id: ID!): Boolean!
    "Builds and stores the invoice of a closed or current period (YYYY-MM); one per tenant and period, rebuilt on request."
    createInvoice(period: String!): Invoice!
  }

  type Subscription {
    "Budget and quota alerts of the caller's tenant as they are raised."
    budgetAlertRaised: BillingAlert!
  }
`;
