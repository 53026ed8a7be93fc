/** The hand-worked invoice the unit tests share (see invoiceModel.test.ts for the arithmetic). */
import type { InvoiceInput } from "./invoiceModel.ts";

export function invoiceFixture(overrides: Partial<InvoiceInput> = {}): InvoiceInput {
  return {
    invoiceId: "inv_2026_02_acme",
    tenantId: "t_acme",
    tenantName: "Acme Analytics, Inc.",
    period: "2026-02",
    currency: "USD",
    plan: { id: "team", name: "Team", monthlyFeeMicros: 49_000_000 },
    usage: { QUERIES: 1_234_567, NL_QUESTIONS: 420, GRAPH_NODES: 12_345_678, UNPRICED: 99 },
    prices: [
      { metric: "QUERIES", label: "Queries", per: 1000, unitPriceMicros: 2_500_000, included: 100_000 },
      { metric: "NL_QUESTIONS", label: "Natural-language questions", per: 1, unitPriceMicros: 20_000, included: 500 },
      { metric: "GRAPH_NODES", label: 'Graph nodes (node-days), "gauge"', per: 1000, unitPriceMicros: 1_000, included: 0 },
      { metric: "EXPORTS", label: "Exports", per: 1, unitPriceMicros: 150_000, included: 10 },
    ],
    issuedAt: new Date("2026-03-01T00:05:00.000Z"),
    ...overrides,
  };
}
