/**
 * Report exports through the gateway: a published version renders to
 * Markdown, JSON and PDF with branding, the residency label, provenance,
 * locale-aware dates and redactions logged in a checksummed manifest; the
 * signed link downloads without other credentials, is audited, and is refused
 * once expired or tampered with; a destination outside the tenant's region
 * stores nothing; new broken links block the export; and another tenant
 * cannot export, list or re-link any of it.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signDownloadToken } from "@intelgraph/subgraph-graph";
import { codes, gql } from "../support/graphqlClient.ts";
import { login, useTestPlatform, type TestTenant } from "../support/platform.ts";

const platform = useTestPlatform("reportexports");

const call = <T = Record<string, any>>(tenant: TestTenant, query: string, variables: Record<string, unknown> = {}) =>
  gql<T>(platform.url, query, variables, { token: tenant.token });

const EXPORT = `mutation($input: ExportReportInput!) { exportReport(input: $input) {
  id version format locale residency { label policyId } files { name contentType bytes sha256 } manifestSha256
  redactions { rule count valueSha256 } download { url expiresAt } } }`;

/** A tenant with Ada (with an e-mail) at Acme, and a published report citing her, the link and a snapshot. */
async function publishedReport(label: string) {
  const tenant = await platform.newTenant(label);
  const seeded = await call<{ createOrganizations: { organizations: Array<{ id: string; members: Array<{ id: string }> }> } }>(
    tenant,
    `mutation { createOrganizations(input: [{ name: "Acme Corp", members: { create: [
      { node: { name: "Ada Lovelace", email: "ada@acme.example" }, edge: { confidence: 0.9, source: "hr-feed" } }] } }]) { organizations { id members { id } } } }`,
  );
  const org = seeded.data!.createOrganizations.organizations[0]!;
  const adaId = org.members[0]!.id;
  const snap = await call(tenant, `mutation { captureQuerySnapshot(question: "Which people work for “Acme Corp”?") { id } }`);
  expect(snap.errors).toBeUndefined();
  const created = await call(tenant, `mutation($input: CreateReportInput!) { createReport(input: $input) { id } }`, {
    input: {
      title: "Acme staff review",
      sections: [{ title: "Summary", body: "Ada Lovelace (ada@acme.example) works for Acme; see [[Finding 1]]." }],
      findings: [
        {
          title: "Ada works for Acme",
          body: "Confirmed by the HR feed.",
          evidence: [
            { kind: "ENTITY", ref: adaId, note: "contact ada@acme.example" },
            { kind: "RELATIONSHIP", relationship: { fromId: adaId, type: "MEMBER_OF", toId: org.id } },
            { kind: "QUERY_SNAPSHOT", ref: snap.data!["captureQuerySnapshot"].id },
          ],
        },
      ],
    },
  });
  const reportId = created.data!["createReport"].id as string;
  const published = await call(tenant, `mutation($id: ID!) { publishReport(input: { reportId: $id }) { version } }`, { id: reportId });
  expect(published.errors).toBeUndefined();
  return { tenant, reportId, adaId };
}

const origin = () => new URL(platform.url).origin;
const download = (url: string) => fetch(new URL(url, origin()));

describe("report exports", () => {
  it("exports Markdown with branding, residency, provenance and redactions, and the link downloads exactly the manifest's bytes", async () => {
    const { tenant, reportId } = await publishedReport("exp-md");
    const brand = await call(
      tenant,
      `mutation { setReportBranding(input: { name: "Acme Intel Team", footer: "Confidential — Acme", accentColor: "#aa3300" }) { name hasLogo } }`,
    );
    expect(brand.data!["setReportBranding"]).toEqual({ name: "Acme Intel Team", hasLogo: false });

    const res = await call(tenant, EXPORT, {
      input: { reportId, format: "MARKDOWN", destinationRegion: "eu-west-1", locale: "en-GB", redaction: { emails: true, names: true } },
    });
    expect(res.errors).toBeUndefined();
    const exp = res.data!["exportReport"];
    expect(exp).toMatchObject({
      version: 1,
      format: "MARKDOWN",
      locale: "en-GB",
      residency: { label: expect.stringMatching(/^eu-west-1\//), policyId: "residency/same-region/v1" },
    });
    expect(exp.files.map((f: any) => f.name)).toEqual(["report-v1.md", "manifest.json"]);
    const rules = Object.fromEntries(exp.redactions.map((r: any) => [r.rule, r]));
    expect(rules["email"]).toMatchObject({ count: 2, valueSha256: createHash("sha256").update("ada@acme.example").digest("hex") });
    expect(rules["name"].count).toBeGreaterThanOrEqual(3);
    expect(Date.parse(exp.download.expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);

    const file = await download(exp.download.url);
    expect(file.status).toBe(200);
    const body = Buffer.from(await file.arrayBuffer());
    expect(createHash("sha256").update(body).digest("hex")).toBe(exp.files[0].sha256);
    const md = body.toString("utf8");
    expect(md).toContain("# Acme staff review");
    expect(md).toContain("Acme Intel Team");
    expect(md).toContain("Confidential — Acme");
    expect(md).toContain(`Residency ${exp.residency.label} · policy residency/same-region/v1`);
    expect(md).toContain("see Finding 1.");
    expect(md).toMatch(/\| E1\.1 \| ENTITY \| Person \[redacted name\] \|/);
    expect(md).toContain("[redacted name] MEMBER_OF Acme Corp");
    expect(md).not.toMatch(/ada@acme\.example|Ada Lovelace/i);
    // en-GB writes the day before the month: "1 December 2026".
    expect(md).toMatch(/published \d{1,2} [A-Z][a-z]+ \d{4}/);

    const manifest = await download(`${exp.download.url}?file=manifest.json`);
    const manifestBytes = Buffer.from(await manifest.arrayBuffer());
    expect(createHash("sha256").update(manifestBytes).digest("hex")).toBe(exp.manifestSha256);
    expect(JSON.parse(manifestBytes.toString("utf8"))).toMatchObject({
      reportId,
      version: 1,
      files: [{ name: "report-v1.md", sha256: exp.files[0].sha256 }],
      redaction: { rules: { emails: true, names: true } },
    });

    const audited = await call(
      tenant,
      `{ auditEvents(filter: { action: "downloadReportExport" }, first: 10) { nodes { targetIds arguments } } }`,
    );
    expect(audited.data!["auditEvents"].nodes).toHaveLength(2);
    expect(audited.data!["auditEvents"].nodes[0].targetIds).toEqual([exp.id, reportId]);
  });

  it("renders PDF and JSON, with dates in the chosen locale and a cited entity's confidence score", async () => {
    const { tenant, reportId, adaId } = await publishedReport("exp-pdf");
    // Scoring writes the score on the node (scoring/); the export shows what is stored when it is built.
    await platform.stores.driver.executeQuery("MATCH (n:Person {id: $id}) SET n.score = 82", { id: adaId });
    const pdf = await call(tenant, EXPORT, { input: { reportId, format: "PDF", destinationRegion: "eu-west-1", locale: "de-DE" } });
    expect(pdf.errors).toBeUndefined();
    const file = await download(pdf.data!["exportReport"].download.url);
    expect(file.headers.get("content-type")).toBe("application/pdf");
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(bytes.length).toBe(pdf.data!["exportReport"].files[0].bytes);

    const json = await call(tenant, EXPORT, { input: { reportId, format: "JSON", destinationRegion: "eu-west-1", locale: "de-DE" } });
    const doc = JSON.parse(Buffer.from(await (await download(json.data!["exportReport"].download.url)).arrayBuffer()).toString("utf8"));
    expect(doc).toMatchObject({
      title: "Acme staff review",
      version: 1,
      locale: "de-DE",
      residency: { policyId: "residency/same-region/v1" },
    });
    // de-DE: "1. Dezember 2026 um 10:15 UTC".
    expect(doc.publishedAt).toMatch(/^\d{1,2}\. [A-ZÄÖÜ][a-zäöü]+ \d{4}/);
    expect(doc.provenance.map((p: any) => p.key)).toEqual(["E1.1", "E1.2", "E1.3"]);
    expect(doc.findings[0].evidence[2].snapshot.rows).toEqual([["Ada Lovelace"]]);
    expect(doc.findings[0].evidence.map((e: any) => e.score)).toEqual([82, null, null]);
  });

  it("refuses a destination outside the tenant's region and stores nothing", async () => {
    const { tenant, reportId } = await publishedReport("exp-res");
    const res = await call(tenant, EXPORT, { input: { reportId, format: "PDF", destinationRegion: "us-east-1" } });
    expect(codes(res)).toEqual(["RESIDENCY_MISMATCH"]);
    expect(
      (await call(tenant, `query($id: ID!) { reportExports(reportId: $id) { id } }`, { id: reportId })).data!["reportExports"],
    ).toEqual([]);
  });

  it("refuses expired and tampered links, and gives a fresh link on request", async () => {
    const { tenant, reportId } = await publishedReport("exp-link");
    const exp = (await call(tenant, EXPORT, { input: { reportId, format: "MARKDOWN", destinationRegion: "eu-west-1" } })).data![
      "exportReport"
    ];
    const expired = signDownloadToken(platform.config.PRINCIPAL_SIGNING_KEY, {
      exportId: exp.id,
      tenantId: tenant.id,
      userId: tenant.adminId,
      exp: Date.now() - 1000,
    });
    const gone = await download(`/exports/${expired}`);
    expect(gone.status).toBe(410);
    expect(((await gone.json()) as { error: { code: string } }).error.code).toBe("LINK_EXPIRED");
    const forged = signDownloadToken("not-the-key", {
      exportId: exp.id,
      tenantId: tenant.id,
      userId: tenant.adminId,
      exp: Date.now() + 60_000,
    });
    const bad = await download(`/exports/${forged}`);
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");
    const fresh = await call(tenant, `mutation($id: ID!) { reportExportLink(exportId: $id) { url expiresAt } }`, { id: exp.id });
    expect((await download(fresh.data!["reportExportLink"].url)).status).toBe(200);
  });

  it("blocks an export when a cited entity was deleted after publishing", async () => {
    const { tenant, reportId, adaId } = await publishedReport("exp-broken");
    await call(
      tenant,
      `mutation($id: ID!) { deleteEntities(input: { selector: { ids: [$id] }, reason: "erasure request" }) { deleted } }`,
      { id: adaId },
    );
    const res = await call(tenant, EXPORT, { input: { reportId, format: "PDF", destinationRegion: "eu-west-1" } });
    expect(codes(res)).toEqual(["REPORT_INVALID"]);
    expect((res.errors![0]!.extensions!["broken"] as any[]).map((b) => b.location)).toEqual([
      "Finding 1, evidence 1",
      "Finding 1, evidence 2",
      "Finding 1, evidence 3",
    ]);
    expect(
      (await call(tenant, `query($id: ID!) { reportExports(reportId: $id) { id } }`, { id: reportId })).data!["reportExports"],
    ).toEqual([]);
  });

  it("keeps tenants apart and branding to admins", async () => {
    const { tenant: a, reportId } = await publishedReport("exp-iso-a");
    const b = await platform.newTenant("exp-iso-b");
    const exp = (await call(a, EXPORT, { input: { reportId, format: "JSON", destinationRegion: "eu-west-1" } })).data!["exportReport"];
    expect(codes(await call(b, EXPORT, { input: { reportId, format: "JSON", destinationRegion: "eu-west-1" } }))).toEqual(["NOT_FOUND"]);
    expect(codes(await call(b, `mutation($id: ID!) { reportExportLink(exportId: $id) { url } }`, { id: exp.id }))).toEqual(["NOT_FOUND"]);
    expect((await call(b, `query($id: ID!) { reportExports(reportId: $id) { id } }`, { id: reportId })).data!["reportExports"]).toEqual([]);
    // A link names its tenant inside the signed token: B cannot swap in A's export under B's tenant.
    const crossed = signDownloadToken(platform.config.PRINCIPAL_SIGNING_KEY, {
      exportId: exp.id,
      tenantId: b.id,
      userId: b.adminId,
      exp: Date.now() + 60_000,
    });
    expect((await download(`/exports/${crossed}`)).status).toBe(404);

    const analystEmail = `analyst@${a.slug}.test`;
    await call(a, `mutation($e: String!) { createUser(input: { email: $e, password: "analyst-password-1", role: ANALYST }) { id } }`, {
      e: analystEmail,
    });
    const analyst = { ...a, token: await login(platform.url, analystEmail, "analyst-password-1") };
    expect(codes(await call(analyst, `mutation { setReportBranding(input: { name: "Mine" }) { name } }`))).toEqual(["FORBIDDEN"]);
    expect(codes(await call(a, `mutation { setReportBranding(input: { name: "X", logoBase64: "bm90IGFuIGltYWdl" }) { name } }`))).toEqual([
      "BAD_USER_INPUT",
    ]);
    expect((await call(b, `{ reportBranding { name hasLogo } }`)).data!["reportBranding"]).toEqual({ name: "", hasLogo: false });
  });
});
