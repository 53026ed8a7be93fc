import WebSocket from "ws";
import { beforeAll, describe, expect, it } from "vitest";
import {
  AskGraphDocument,
  AuditEventRecordedDocument,
  BillingAccountDocument,
  ChangePlanDocument,
  CreateInvoiceDocument,
  InvoiceDocumentDocument,
  PlansDocument,
  UsageDocument,
  CaptureQuerySnapshotDocument,
  CreateReportDocument,
  ExportReportDocument,
  PublishReportDocument,
  CreatePeopleDocument,
  CreatePlaybookDocument,
  createIntelGraphClient,
  IntelGraphError,
  MeDocument,
  SearchPeopleDocument,
} from "@intelgraph/sdk";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";

const platform = useTestPlatform("sdk");
let tenant: TestTenant;

beforeAll(async () => {
  tenant = await platform.newTenant("sdk");
});

describe("the typed SDK against the running platform", () => {
  it("signs in, writes and reads typed data", async () => {
    const client = createIntelGraphClient({ url: platform.url });
    const session = await client.login(tenant.adminEmail, tenant.adminPassword);
    expect(session.user).toEqual({ id: tenant.adminId, email: tenant.adminEmail, role: "ADMIN" });
    const me = await client.request(MeDocument);
    expect(me.me?.tenant.slug).toBe(tenant.slug);
    await client.request(CreatePeopleDocument, { input: [{ name: "Grace Hopper" }, { name: "Grace Kelly" }, { name: "Alan Turing" }] });
    const found = await client.request(SearchPeopleDocument, { name: "Grace" });
    expect(found.people.map((p) => p.name)).toEqual(["Grace Hopper", "Grace Kelly"]);
  });

  it("asks the graph in plain words, typed, and gets QUESTION_REFUSED for a write", async () => {
    const client = createIntelGraphClient({ url: platform.url, token: tenant.token });
    const preview = await client.request(AskGraphDocument, { question: "how many people" });
    expect(preview.askGraph).toMatchObject({ ran: false, columns: ["count"] });
    expect(preview.askGraph.cypher).toMatch(/n0.tenantId = \$tenantId/);
    const run = await client.request(AskGraphDocument, { question: "list people named “Grace”", mode: "RUN" });
    expect(run.askGraph.rows).toEqual([{ n0_name: "Grace Hopper" }, { n0_name: "Grace Kelly" }]);
    await expect(client.request(AskGraphDocument, { question: "delete all people" })).rejects.toMatchObject({ code: "QUESTION_REFUSED" });
  });

  it("goes question → snapshot → report → publish → export → download, typed", async () => {
    const client = createIntelGraphClient({ url: platform.url, token: tenant.token });
    const { captureQuerySnapshot: snapshot } = await client.request(CaptureQuerySnapshotDocument, {
      question: "list people named “Grace”",
    });
    expect(snapshot.rows).toEqual([{ n0_name: "Grace Hopper" }, { n0_name: "Grace Kelly" }]);
    const { createReport: report } = await client.request(CreateReportDocument, {
      input: {
        title: "Graces",
        findings: [{ title: "Two Graces", body: "See [[Finding 2]].", evidence: [{ kind: "QUERY_SNAPSHOT", ref: snapshot.id }] }],
      },
    });
    // The cross-reference names a finding that does not exist.
    await expect(client.request(PublishReportDocument, { input: { reportId: report.id } })).rejects.toMatchObject({
      code: "REPORT_INVALID",
    });
    const { publishReport } = await client.request(PublishReportDocument, {
      input: { reportId: report.id, force: true, justification: "SDK test: accepted." },
    });
    expect(publishReport).toMatchObject({ version: 1, forced: true });
    const { exportReport } = await client.request(ExportReportDocument, {
      input: { reportId: report.id, format: "MARKDOWN", destinationRegion: "eu-west-1", locale: "en-US" },
    });
    const file = await fetch(new URL(exportReport.download!.url, platform.url));
    expect(await file.text()).toContain("Grace Hopper");
  });

  it("reads usage, changes the plan and builds an invoice, typed", async () => {
    const client = createIntelGraphClient({ url: platform.url, token: tenant.token });
    const { plans } = await client.request(PlansDocument);
    expect(plans.map((p) => p.id)).toEqual(["FREE", "TEAM", "ENTERPRISE"]);
    const { usage } = await client.request(UsageDocument, { metrics: ["QUERIES"] });
    expect(usage.at(-1)).toMatchObject({ source: "LIVE", values: [{ metric: "QUERIES", quantity: expect.any(Number) }] });
    const { changePlan } = await client.request(ChangePlanDocument, { plan: "TEAM" });
    expect(changePlan.plan.id).toBe("TEAM");
    expect((await client.request(BillingAccountDocument)).billingAccount.quotas.find((q) => q.metric === "EXPORTS")?.limit).toBe(1000);
    const { createInvoice } = await client.request(CreateInvoiceDocument, { period: new Date().toISOString().slice(0, 7) });
    expect(createInvoice.total).toBe(createInvoice.lines.reduce((sum, l) => Math.round((sum + l.amount) * 100) / 100, 0));
    const { invoice } = await client.request(InvoiceDocumentDocument, { id: createInvoice.id, format: "CSV" });
    expect(Buffer.from(invoice!.document.base64, "base64").toString()).toContain("PLAN_FEE");
  });

  it("throws IntelGraphError with the server's code", async () => {
    const anonymous = createIntelGraphClient({ url: platform.url });
    await expect(anonymous.request(MeDocument)).resolves.toEqual({ me: null });
    await expect(anonymous.login(tenant.adminEmail, "wrong-password")).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    const client = createIntelGraphClient({ url: platform.url, token: tenant.token });
    const error = await client.request(CreatePlaybookDocument, { input: { name: "", steps: [] } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntelGraphError);
    expect((error as IntelGraphError).code).toBe("BAD_USER_INPUT");
  });

  it("streams audit events over a subscription", async () => {
    const client = createIntelGraphClient({ url: platform.url, token: tenant.token, webSocketImpl: WebSocket });
    const events = client.subscribe(AuditEventRecordedDocument);
    try {
      const first = events.next();
      await new Promise((r) => setTimeout(r, 300));
      await client.request(CreatePlaybookDocument, {
        input: { name: "SDK playbook", steps: [{ kind: "ASK", config: { question: "notify" } }] },
      });
      const event = await first;
      expect(event.value).toMatchObject({ auditEventRecorded: { action: "createPlaybook", service: "playbooks", outcome: "SUCCESS" } });
    } finally {
      await events.return?.();
      await client.close();
    }
  });
});
