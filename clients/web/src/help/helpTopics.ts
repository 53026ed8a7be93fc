/** The contextual help of the golden-path screens: what each does and the rules it follows (docs/ask.md, docs/reports.md). */
export type HelpTopicId = "ask" | "reports" | "export" | "billing";

export interface HelpTopic {
  id: HelpTopicId;
  title: string;
  /** One sentence: what the screen is for. */
  summary: string;
  /** The rules, one per item. */
  rules: string[];
}

export const HELP_TOPICS: Record<HelpTopicId, HelpTopic> = {
  ask: {
    id: "ask",
    title: "Ask the graph",
    summary:
      "Ask a question about your tenant's graph in plain words. It is interpreted, compiled to Cypher that you can read and copy, and run only when you press Run.",
    rules: [
      "Sandbox: questions only read. They run in a read transaction with a 2 s timeout and at most 500 rows, after a cost check; too large a plan is QUERY_TOO_EXPENSIVE — narrow the question.",
      "Tenant-safe: every node of the query is limited to your tenant, and every value is a parameter. Questions that ask to write, paste Cypher, call procedures or reach other tenants are refused (QUESTION_REFUSED).",
      "Confidence threshold: each assumption lowers confidence (the reasons say which). Below 0.7 the query waits for you to confirm before it runs.",
      "Add to report freezes the result as a query snapshot (question, Cypher, parameters, result hash, time) and cites it in a new finding.",
    ],
  },
  reports: {
    id: "reports",
    title: "Reports",
    summary:
      "Write a report from sections of Markdown and findings that cite evidence: entities, relationships, query snapshots, ingest jobs and audit events.",
    rules: [
      "Save sends the whole draft with the revision you started from; if someone saved in between you get CONFLICT — reload to see their version.",
      "Cross-reference another part with [[Finding 2]] or [[Section 1]].",
      "Validator: every evidence link and cross-reference must still resolve in your tenant (not deleted, not purged). Check links shows each broken one, where it is and how to fix it; publish is blocked (REPORT_INVALID) until they are fixed.",
      "Published versions never change; the draft can move on and be published again as the next version.",
    ],
  },
  export: {
    id: "export",
    title: "Exporting a report",
    summary:
      "Export a published version as PDF, Markdown or JSON, with your tenant's branding, a provenance appendix and a manifest of sha256 checksums.",
    rules: [
      "Residency: the destination must be your tenant's region; any other is refused with RESIDENCY_MISMATCH and nothing is stored. Every page carries the residency label and policy id.",
      "Redaction replaces e-mail addresses, people's names or chosen properties; the manifest logs what was replaced (as hashes, never the values).",
      "The locale sets how dates and numbers are written (en-US, en-GB, de-DE).",
      "Each export validates the version again (broken links block it). Download links are signed and expire after 15 minutes; ask for a new one from the list of exports.",
    ],
  },
  billing: {
    id: "billing",
    title: "Billing",
    summary:
      "What your tenant used this month, its plan's quotas and your budget, the plans to compare, and invoices built from the metered usage.",
    rules: [
      "Usage is metered per UTC day; today's figures are live running totals, earlier days are rolled up by a daily job. Money is in the plan's currency.",
      "Quotas are monthly caps of your plan: at 80 % an alert goes out, at 100 % the action is refused (QUOTA_EXCEEDED) until the month resets, the plan changes or an override is granted.",
      "The budget caps usage charges beyond the plan's fee and included units; each threshold raises one alert a month, and when it is spent exports, ingest jobs and questions pause (BUDGET_EXCEEDED).",
      "When an action is refused for a limit, the console offers an upgrade; after the plan changes, the action runs again with what you typed.",
      "Overrides lift one quota or the budget's stop until a time (at most 31 days) and need a reason; only admins and billing users may grant them (others get FORBIDDEN).",
      "A webhook's signing secret is shown once, when the URL is set; alerts are signed with it.",
    ],
  },
};
