/**
 * Reports through the gateway: a draft cites entities, relationships, query
 * snapshots, ingest jobs and audit events; the validator names exactly the
 * broken links (a deleted entity, a cross-reference to nothing) and blocks
 * publishing with REPORT_INVALID; an admin may force with a justification;
 * published versions never change; the draft's revision guards concurrent
 * edits; and another tenant cannot cite, read or publish any of it.
 */
import { describe, expect, it } from "vitest";
import { codes, gql } from "../support/graphqlClient.ts";
import { login, useTestPlatform, type TestTenant } from "../support/platform.ts";

const platform = useTestPlatform("reports");

const REPORT = `id title status revision latestVersion
  sections { id title body }
  findings { id number title body evidence { id kind ref relationship { fromId type toId } label note } }
  annotations { id findingId evidenceId text highlight author }`;

async function call<T = Record<string, any>>(tenant: TestTenant | string, query: string, variables: Record<string, unknown> = {}) {
  return gql<T>(platform.url, query, variables, { token: typeof tenant === "string" ? tenant : tenant.token });
}

async function seed(tenant: TestTenant) {
  const res = await call<{ createOrganizations: { organizations: Array<{ id: string; members: Array<{ id: string; name: string }> }> } }>(
    tenant,
    `mutation { createOrganizations(input: [{ name: "Acme Corp", members: { create: [
      { node: { name: "Ada Lovelace", email: "ada@acme.example" }, edge: { confidence: 0.9, source: "test" } },
      { node: { name: "Bob Byte" }, edge: { confidence: 0.8, source: "test" } }] } }]) { organizations { id members { id name } } } }`,
  );
  expect(res.errors).toBeUndefined();
  const org = res.data!.createOrganizations.organizations[0]!;
  const ada = org.members.find((m) => m.name === "Ada Lovelace")!;
  const bob = org.members.find((m) => m.name === "Bob Byte")!;
  return { orgId: org.id, adaId: ada.id, bobId: bob.id };
}

async function createReport(tenant: TestTenant, input: Record<string, unknown>) {
  const res = await call<{ createReport: Record<string, any> }>(
    tenant,
    `mutation($input: CreateReportInput!) { createReport(input: $input) { ${REPORT} } }`,
    { input },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.createReport;
}

const publish = (tenant: TestTenant, input: Record<string, unknown>) =>
  call<{ publishReport: Record<string, any> }>(
    tenant,
    `mutation($input: PublishReportInput!) { publishReport(input: $input) { id version title forced justification findings { title evidence { label } } brokenAtPublish { location } } }`,
    { input },
  );

/** A draft citing every kind of evidence (Ada, her link, a snapshot, an audit event) and Bob, checked as it goes. */
async function citeEverything(a: TestTenant) {
  const { orgId, adaId, bobId } = await seed(a);
  const snap = await call<{ captureQuerySnapshot: Record<string, any> }>(
    a,
    `mutation { captureQuerySnapshot(question: "Which people work for “Acme Corp”?") { id question cypher rowCount resultHash rows columns } }`,
  );
  expect(snap.errors).toBeUndefined();
  expect(snap.data!.captureQuerySnapshot).toMatchObject({ rowCount: 2, rows: [{ n0_name: "Ada Lovelace" }, { n0_name: "Bob Byte" }] });
  expect(snap.data!.captureQuerySnapshot["resultHash"]).toMatch(/^[0-9a-f]{64}$/);
  const snapshotId = snap.data!.captureQuerySnapshot["id"];

  // The picker finds what can be cited, in this tenant only.
  const picked = await call<{ citableItems: Array<Record<string, any>> }>(
    a,
    `{ citableItems(search: "lovelace") { kind ref relationship { fromId type toId } label } }`,
  );
  expect(picked.errors).toBeUndefined();
  expect(picked.data!.citableItems).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ kind: "ENTITY", ref: adaId, label: "Person Ada Lovelace" }),
      expect.objectContaining({ kind: "RELATIONSHIP", relationship: { fromId: adaId, type: "MEMBER_OF", toId: orgId } }),
    ]),
  );
  const audits = await call<{ citableItems: Array<Record<string, any>> }>(
    a,
    `{ citableItems(search: "captureQuerySnapshot", kinds: [AUDIT_EVENT]) { kind ref } }`,
  );
  const auditId = audits.data!.citableItems[0]!["ref"];
  expect(auditId).toBeTruthy();

  const report = await createReport(a, {
    title: "Acme staff",
    sections: [{ title: "Summary", body: "Two people work for Acme; see [[Finding 1]] and [[Finding 3]]." }],
    findings: [
      {
        title: "Ada works for Acme",
        body: "As the snapshot shows.",
        evidence: [
          { kind: "ENTITY", ref: adaId },
          { kind: "RELATIONSHIP", relationship: { fromId: adaId, type: "MEMBER_OF", toId: orgId } },
          { kind: "QUERY_SNAPSHOT", ref: snapshotId },
          { kind: "AUDIT_EVENT", ref: auditId },
        ],
      },
      { title: "Bob too", body: "", evidence: [{ kind: "ENTITY", ref: bobId, note: "second" }] },
    ],
  });
  expect(report).toMatchObject({ status: "DRAFT", revision: 1, latestVersion: null });
  expect(report["findings"][0].evidence.map((e: any) => e.label)).toEqual([
    "Person Ada Lovelace",
    "Ada Lovelace MEMBER_OF Acme Corp",
    "Question “Which people work for “Acme Corp”?” (2 rows)",
    expect.stringMatching(/^Audit captureQuerySnapshot by /),
  ]);
  return { report, bobId };
}

describe("reports", () => {
  it("cites every kind of evidence, blocks publishing on exactly the broken links, then publishes an immutable version", async () => {
    const a = await platform.newTenant("rep-a");
    const { report, bobId } = await citeEverything(a);
    const bobEvidence = report["findings"][1].evidence[0];

    const annotated = await call(a, `mutation($i: AnnotateEvidenceInput!) { annotateEvidence(input: $i) { id text highlight } }`, {
      i: {
        reportId: report["id"],
        findingId: report["findings"][1].id,
        evidenceId: bobEvidence.id,
        text: "Check his e-mail",
        highlight: "email",
      },
    });
    expect(annotated.errors).toBeUndefined();

    // Deleting a cited entity breaks the entity itself, the snapshot that showed it, and nothing else;
    // the cross-reference to a third finding that does not exist is broken too.
    const del = await call(a, `mutation($id: ID!) { deleteEntities(input: { selector: { ids: [$id] }, reason: "test" }) { deleted } }`, {
      id: bobId,
    });
    expect(del.errors).toBeUndefined();
    const blocked = await publish(a, { reportId: report["id"] });
    expect(codes(blocked)).toEqual(["REPORT_INVALID"]);
    const broken = blocked.errors![0]!.extensions!["broken"] as Array<Record<string, any>>;
    expect(broken.map((b) => [b.location, b.kind])).toEqual([
      ["Finding 1, evidence 3", "QUERY_SNAPSHOT"],
      ["Finding 2, evidence 1", "ENTITY"],
      ["Section 1", "CROSS_REFERENCE"],
    ]);
    expect(broken[1]!["reason"]).toMatch(/Person Bob Byte was deleted on \d{4}-\d\d-\d\d \(test\)/);
    expect(broken[1]!["fix"]).toMatch(/Restore it/);
    expect(broken[2]!["reason"]).toMatch(/\[\[Finding 3\]\] names Finding 3, but the report has findings 1 to 2/);
    const validation = await call(a, `query($id: ID!) { validateReport(id: $id) { valid broken { location } } }`, { id: report["id"] });
    expect(validation.data!["validateReport"]).toMatchObject({ valid: false, broken: broken.map((b) => ({ location: b.location })) });

    // Fix: drop the snapshot and Bob's finding, point the cross-reference at Finding 1 only.
    const current = (await call(a, `query($id: ID!) { report(id: $id) { ${REPORT} } }`, { id: report["id"] })).data!["report"];
    expect(current["annotations"]).toHaveLength(1);
    const first = current["findings"][0];
    const fixed = await call<{ updateReportDraft: Record<string, any> }>(
      a,
      `mutation($id: ID!, $rev: Int!, $input: UpdateReportDraftInput!) { updateReportDraft(id: $id, expectedRevision: $rev, input: $input) { ${REPORT} } }`,
      {
        id: report["id"],
        rev: current["revision"],
        input: {
          title: "Acme staff",
          sections: [{ id: current["sections"][0].id, title: "Summary", body: "Ada works for Acme; see [[Finding 1]]." }],
          findings: [
            {
              id: first.id,
              title: first.title,
              body: first.body,
              evidence: first.evidence.filter((e: any) => e.kind !== "QUERY_SNAPSHOT").map((e: any) => ({ id: e.id, kind: e.kind })),
            },
          ],
        },
      },
    );
    expect(fixed.errors).toBeUndefined();
    // Bob's evidence is gone, and with it its annotation.
    expect(fixed.data!.updateReportDraft).toMatchObject({ revision: current["revision"] + 1, annotations: [] });
    expect(fixed.data!.updateReportDraft["findings"][0].evidence).toHaveLength(3);

    // A stale revision is a CONFLICT, not a lost edit.
    const stale = await call(
      a,
      `mutation($id: ID!, $input: UpdateReportDraftInput!) { updateReportDraft(id: $id, expectedRevision: 1, input: $input) { id } }`,
      { id: report["id"], input: { title: "Lost edit", sections: [], findings: [] } },
    );
    expect(codes(stale)).toEqual(["CONFLICT"]);

    const v1 = await publish(a, { reportId: report["id"] });
    expect(v1.errors).toBeUndefined();
    expect(v1.data!.publishReport).toMatchObject({ version: 1, forced: false, title: "Acme staff", brokenAtPublish: [] });

    // The draft moves on; version 1 does not.
    await call(
      a,
      `mutation($id: ID!, $rev: Int!, $input: UpdateReportDraftInput!) { updateReportDraft(id: $id, expectedRevision: $rev, input: $input) { id } }`,
      {
        id: report["id"],
        rev: fixed.data!.updateReportDraft["revision"],
        input: { title: "Acme staff, second draft", sections: [], findings: [] },
      },
    );
    const again = await call(
      a,
      `query($id: ID!) { reportVersion(reportId: $id, version: 1) { title findings { title } } report(id: $id) { status latestVersion title versions { version } } }`,
      {
        id: report["id"],
      },
    );
    expect(again.data!["reportVersion"]).toMatchObject({ title: "Acme staff", findings: [{ title: "Ada works for Acme" }] });
    const listed = await call(a, `{ published: reports(status: PUBLISHED) { id } drafts: reports(status: DRAFT) { id } }`);
    expect(listed.data!["published"].map((r: { id: string }) => r.id)).toContain(report["id"]);
    expect(listed.data!["drafts"].map((r: { id: string }) => r.id)).not.toContain(report["id"]);
    expect(again.data!["report"]).toMatchObject({
      status: "PUBLISHED",
      latestVersion: 1,
      title: "Acme staff, second draft",
      versions: [{ version: 1 }],
    });
  });

  it("lets only an admin publish over broken links, with a justification that is kept and audited", async () => {
    const a = await platform.newTenant("rep-force");
    const { bobId } = await seed(a);
    const report = await createReport(a, {
      title: "Forced",
      findings: [{ title: "Bob", body: "", evidence: [{ kind: "ENTITY", ref: bobId }] }],
    });
    await call(a, `mutation($id: ID!) { deleteEntities(input: { selector: { ids: [$id] }, reason: "gone" }) { deleted } }`, { id: bobId });

    const analystEmail = `analyst@${a.slug}.test`;
    await call(a, `mutation($e: String!) { createUser(input: { email: $e, password: "analyst-password-1", role: ANALYST }) { id } }`, {
      e: analystEmail,
    });
    const analyst = await login(platform.url, analystEmail, "analyst-password-1");
    expect(
      codes(
        await publish(
          { ...a, token: analyst },
          { reportId: report["id"], force: true, justification: "The person left; keep the record." },
        ),
      ),
    ).toEqual(["FORBIDDEN"]);
    expect(codes(await publish(a, { reportId: report["id"], force: true }))).toEqual(["BAD_USER_INPUT"]);

    const forced = await publish(a, { reportId: report["id"], force: true, justification: "The person left; keep the record." });
    expect(forced.errors).toBeUndefined();
    expect(forced.data!.publishReport).toMatchObject({
      version: 1,
      forced: true,
      justification: "The person left; keep the record.",
      brokenAtPublish: [{ location: "Finding 1, evidence 1" }],
    });
    const audit = await call(
      a,
      `{ auditEvents(filter: { action: "publishReport" }, first: 20) { nodes { outcome errorCode arguments } } }`,
    );
    expect(audit.errors).toBeUndefined();
    const outcomes = audit.data!["auditEvents"].nodes as Array<{ outcome: string; errorCode: string | null; arguments: any }>;
    expect(
      outcomes
        .filter((o) => o.outcome === "FAILURE")
        .map((o) => o.errorCode)
        .sort(),
    ).toEqual(["BAD_USER_INPUT", "FORBIDDEN"]);
    const success = outcomes.find((o) => o.outcome === "SUCCESS")!;
    expect(JSON.parse(success.arguments).input).toMatchObject({ force: true, justification: "The person left; keep the record." });
  });

  it("keeps tenants apart: B cannot cite, read, validate, annotate or publish A's reports and evidence", async () => {
    const a = await platform.newTenant("rep-iso-a");
    const b = await platform.newTenant("rep-iso-b");
    const { adaId } = await seed(a);
    const report = await createReport(a, {
      title: "A only",
      findings: [{ title: "Ada", body: "", evidence: [{ kind: "ENTITY", ref: adaId }] }],
    });

    const cite = await call(b, `mutation($input: CreateReportInput!) { createReport(input: $input) { id } }`, {
      input: { title: "B cites A", findings: [{ title: "x", body: "", evidence: [{ kind: "ENTITY", ref: adaId }] }] },
    });
    expect(codes(cite)).toEqual(["NOT_FOUND"]);
    expect((await call(b, `{ citableItems(search: "lovelace") { ref } }`)).data!["citableItems"]).toEqual([]);
    const read = await call(b, `query($id: ID!) { report(id: $id) { id } reportVersion(reportId: $id, version: 1) { id } }`, {
      id: report["id"],
    });
    expect(read.data).toEqual({ report: null, reportVersion: null });
    expect(codes(await call(b, `query($id: ID!) { validateReport(id: $id) { valid } }`, { id: report["id"] }))).toEqual(["NOT_FOUND"]);
    expect(codes(await publish(b, { reportId: report["id"] }))).toEqual(["NOT_FOUND"]);
    const annotate = await call(b, `mutation($i: AnnotateEvidenceInput!) { annotateEvidence(input: $i) { id } }`, {
      i: {
        reportId: report["id"],
        findingId: report["findings"][0].id,
        evidenceId: report["findings"][0].evidence[0].id,
        text: "mine now",
      },
    });
    expect(codes(annotate)).toEqual(["NOT_FOUND"]);
    // A's report is untouched.
    const mine = await call(a, `query($id: ID!) { report(id: $id) { revision annotations { id } latestVersion } }`, { id: report["id"] });
    expect(mine.data!["report"]).toEqual({ revision: 1, annotations: [], latestVersion: null });
  });

  it("refuses bad input with field-level problems and writes nothing", async () => {
    const a = await platform.newTenant("rep-bad");
    const bad = await call(a, `mutation($input: CreateReportInput!) { createReport(input: $input) { id } }`, {
      input: { title: "x", findings: [{ title: "", body: "", evidence: [{ kind: "RELATIONSHIP", ref: "abc" }] }] },
    });
    expect(codes(bad)).toEqual(["BAD_USER_INPUT"]);
    const paths = (bad.errors![0]!.extensions!["problems"] as Array<{ path: string }>).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(["title", "findings.0.title", "findings.0.evidence.0.relationship"]));
    expect((await call(a, `{ reports { id } }`)).data!["reports"]).toEqual([]);
  });
});
