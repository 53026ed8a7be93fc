/** Exports of published report versions (PDF, Markdown, JSON), tenant branding and signed download links (docs/reports.md). */
export const exportTypeDefs = /* GraphQL */ `
  enum ReportExportFormat {
    PDF
    MARKDOWN
    JSON
  }

  "What an export replaces before it leaves the platform."
  input RedactionInput {
    "Replace every e-mail address."
    emails: Boolean
    "Replace the names of people."
    names: Boolean
    "Replace these properties of cited entities wherever they appear, e.g. [address, pattern]."
    properties: [String!]
  }

  input ExportReportInput {
    reportId: ID!
    "Default: the latest published version."
    version: Int
    format: ReportExportFormat!
    "Where the file is going; must be the tenant's region (RESIDENCY_MISMATCH otherwise, and nothing is stored)."
    destinationRegion: String!
    "en-US (default), en-GB or de-DE: dates and numbers in the file."
    locale: String
    redaction: RedactionInput
  }

  type RedactionEntry {
    "What was replaced: email, name or property:<name>."
    rule: String!
    "How many occurrences."
    count: Int!
    "sha256 of the original value (never the value itself)."
    valueSha256: String!
  }

  type ExportedFile {
    name: String!
    contentType: String!
    bytes: Int!
    sha256: String!
  }

  type DownloadLink {
    "Relative to the gateway: GET it with no other credentials."
    url: String!
    expiresAt: String!
  }

  type ReportExport {
    id: ID!
    reportId: ID!
    version: Int!
    format: ReportExportFormat!
    locale: String!
    residency: ResidencyLabel!
    "The highest TLP marking of its content, printed at the top of the file (TLP:AMBER …)."
    marking: TlpMarking!
    "The report file and manifest.json (sha256 of every file, the redaction log, provenance counts)."
    files: [ExportedFile!]!
    manifestSha256: String!
    redactions: [RedactionEntry!]!
    "A fresh signed link (also returned by exportReport and reportExportLink)."
    download: DownloadLink
    requestedBy: ID!
    createdAt: String!
  }

  "How exports look: set by a tenant admin."
  type ReportBranding {
    name: String!
    footer: String
    "#rrggbb"
    accentColor: String!
    hasLogo: Boolean!
    updatedBy: ID
    updatedAt: String
  }

  input ReportBrandingInput {
    name: String!
    footer: String
    accentColor: String
    "A PNG or JPEG logo, base64, at most 256 KiB; omit to keep the current one, empty string to remove it."
    logoBase64: String
  }

  type Query {
    reportExports(reportId: ID!): [ReportExport!]!
    reportBranding: ReportBranding!
  }

  type Mutation {
    "Validates the version again, renders it, stores it with a manifest and returns a signed download link."
    exportReport(input: ExportReportInput!): ReportExport!
    "A new signed link for an existing export (links expire after 15 minutes)."
    reportExportLink(exportId: ID!): DownloadLink!
    setReportBranding(input: ReportBrandingInput!): ReportBranding!
  }
`;
