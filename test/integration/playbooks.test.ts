/**
 * Playbooks through the gateway: ask → report → export steps run end to end
 * on seeded data as the caller (the run history keeps each step's output),
 * the run exports as JSON, CSV and PDF, parameters are validated with
 * problems naming each parameter, and GRAPH_QUERY refuses anything but a query.
 */
import { describe, expect, it } from "vitest";
import { codes, gql } from "../support/graphqlClient.ts";
import { RUN_FIELDS, waitForRun } from "../support/playbookHelpers.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";

const platform = useTestPlatform("playbooks");

const call = <T = Record<string, any>>(token: string, query: string, variables: Record<string, unknown> = {}) =>
  gql<T>(platform.url, query, variables, { token });

const CREATE = `mutation($input: CreatePlaybookInput!) { createPlaybook(input: $input) { id version myRights steps { id name kind timeoutMs retries } parameters { name type required } } }`;
const RUN = `mutation($id: ID!, $p: JSON) { runPlaybook(id: $id, parameters: $p) { ${RUN_FIELDS} } }`;

async function createPlaybook(tenant: TestTenant, input: Record<string, unknown>): Promise<string> {
  const res = await call(tenant.token, CREATE, { input });
  expect(res.errors).toBeUndefined();
  return res.data!["createPlaybook"].id;
}

async function seedAcme(tenant: TestTenant) {
  const res = await call(
    tenant.token,
    `mutation { createOrganizations(input: [{ name: "Acme Corp", members: { create: [
      { node: { name: "Ada Lovelace" }, edge: { confidence: 1, source: "test" } },
      { node: { name: "Bob Byte" }, edge: { confidence: 1, source: "test" } }] } }]) { organizations { id members { id name } } } }`,
  );
  expect(res.errors).toBeUndefined();
  return res.data!["createOrganizations"].organizations[0];
}

describe("playbook runs", () => {
  it("runs ask → create report → export on seeded data as the caller and keeps each step's output", async () => {
    const a = await platform.newTenant("pb-run");
    await seedAcme(a);
    const id = await createPlaybook(a, {
      name: "Staff review",
      parameters: [{ name: "org", type: "STRING", required: true }],
      steps: [
        { id: "ask", kind: "ASK", config: { question: "Which people work for “{{params.org}}”?" } },
        {
          id: "report",
          kind: "CREATE_REPORT",
          config: {
            title: "Staff of {{params.org}}",
            sections: [{ title: "People", body: "Found {{steps.ask.rows.0.n0_name}} and others: {{steps.ask.rows}}" }],
            publish: true,
          },
        },
        { id: "export", kind: "EXPORT_REPORT", config: { format: "JSON", destinationRegion: "eu-west-1" } },
      ],
    });
    const queued = await call(a.token, RUN, { id, p: { org: "Acme Corp" } });
    expect(queued.errors).toBeUndefined();
    expect(queued.data!["runPlaybook"]).toMatchObject({
      status: "QUEUED",
      trigger: "MANUAL",
      version: 1,
      parameters: { org: "Acme Corp" },
      runAs: a.adminId,
    });

    const run = await waitForRun(platform.url, a.token, queued.data!["runPlaybook"].id);
    expect(run["status"]).toBe("SUCCEEDED");
    const [ask, report, exported] = run["steps"];
    expect(ask).toMatchObject({ id: "ask", kind: "ASK", status: "SUCCEEDED", attempts: 1 });
    expect(ask.output.rows).toEqual([{ n0_name: "Ada Lovelace" }, { n0_name: "Bob Byte" }]);
    expect(report).toMatchObject({ id: "report", status: "SUCCEEDED", output: { title: "Staff of Acme Corp", version: 1 } });
    expect(run["reportId"]).toBe(report.output.reportId);
    expect(exported).toMatchObject({
      id: "export",
      status: "SUCCEEDED",
      output: { reportId: run["reportId"], format: "JSON", version: 1 },
    });
    expect(exported.output.download.url).toMatch(/^\/exports\//);

    // The report was made as the caller in their tenant, with the templated text.
    const made = await call(a.token, `query($id: ID!) { report(id: $id) { title createdBy sections { body } } }`, { id: run["reportId"] });
    expect(made.data!["report"]).toMatchObject({ title: "Staff of Acme Corp", createdBy: a.adminId });
    expect(made.data!["report"].sections[0].body).toContain("Found Ada Lovelace and others:");

    // Results export: JSON and CSV of the run, PDF through graph's report export.
    const EXPORT = `mutation($id: ID!, $f: PlaybookRunExportFormat!) { exportPlaybookRun(runId: $id, format: $f) { format fileName contentType content downloadUrl } }`;
    const json = (await call(a.token, EXPORT, { id: run["id"], f: "JSON" })).data!["exportPlaybookRun"];
    expect(JSON.parse(json.content).steps.map((s: { status: string }) => s.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    const csv = (await call(a.token, EXPORT, { id: run["id"], f: "CSV" })).data!["exportPlaybookRun"];
    expect(csv.contentType).toBe("text/csv");
    const lines = csv.content.trim().split("\n");
    expect(lines[0]).toBe("stepId,name,kind,status,attempts,startedAt,finishedAt,durationMs,error,output");
    expect(lines.slice(1).map((l: string) => l.split(",").slice(0, 4).join(","))).toEqual([
      "ask,ask 1,ASK,SUCCEEDED",
      "report,create report 2,CREATE_REPORT,SUCCEEDED",
      "export,export report 3,EXPORT_REPORT,SUCCEEDED",
    ]);
    const pdf = (await call(a.token, EXPORT, { id: run["id"], f: "PDF" })).data!["exportPlaybookRun"];
    expect(pdf).toMatchObject({ format: "PDF", contentType: "application/pdf", content: null });
    const file = await fetch(new URL(pdf.downloadUrl, new URL(platform.url).origin));
    expect(file.status).toBe(200);
    expect(
      Buffer.from(await file.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");

    // The outcome is audited as its own event, with who, parameters and outcome.
    const audit = await call(
      a.token,
      `{ auditEvents(filter: { action: "playbookRunFinished" }) { nodes { action outcome targetIds arguments actor { userId } } } }`,
    );
    expect(audit.errors).toBeUndefined();
    const [event] = audit.data!["auditEvents"].nodes;
    expect(event).toMatchObject({
      action: "playbookRunFinished",
      outcome: "SUCCESS",
      targetIds: [run["id"], id],
      actor: { userId: a.adminId },
    });
    expect(JSON.parse(event.arguments)).toMatchObject({ trigger: "MANUAL", version: 1, parameters: { org: "Acme Corp" } });
  });

  it("validates parameters with problems naming each one", async () => {
    const a = await platform.newTenant("pb-params");
    const b = await platform.newTenant("pb-params-b");
    const bOrg = await seedAcme(b);
    const aOrg = await seedAcme(a);
    const id = await createPlaybook(a, {
      name: "Typed",
      parameters: [
        { name: "label", type: "STRING", required: true },
        { name: "limit", type: "NUMBER" },
        { name: "since", type: "DATE" },
        { name: "level", type: "ENUM", options: ["LOW", "HIGH"] },
        { name: "org", type: "ENTITY", entityType: "Organization" },
      ],
      steps: [{ kind: "ASK", config: { question: "how many people" } }],
    });
    const bad = await call(a.token, RUN, { id, p: { limit: "ten", since: "2026-02-30", level: "MEDIUM", org: bOrg.id, extra: 1 } });
    expect(codes(bad)).toEqual(["BAD_USER_INPUT"]);
    const problems = bad.errors![0]!.extensions!["problems"] as Array<{ path: string; message: string }>;
    expect(problems.map((p) => p.path).sort()).toEqual(
      ["parameters.extra", "parameters.label", "parameters.level", "parameters.limit", "parameters.org", "parameters.since"].sort(),
    );
    expect(problems.find((p) => p.path === "parameters.label")!.message).toMatch(/required/);
    expect(problems.find((p) => p.path === "parameters.level")!.message).toMatch(/one of LOW, HIGH/);
    expect(problems.find((p) => p.path === "parameters.org")!.message).toMatch(/no Organization with id .* exists in your tenant/);

    const missing = await call(a.token, RUN, { id, p: { label: "x", org: "00000000-0000-4000-8000-000000000000" } });
    expect((missing.errors![0]!.extensions!["problems"] as Array<{ path: string }>).map((p) => p.path)).toEqual(["parameters.org"]);

    const good = await call(a.token, RUN, { id, p: { label: "x", limit: 3, since: "2026-03-31", level: "HIGH", org: aOrg.id } });
    expect(good.errors).toBeUndefined();
    expect(good.data!["runPlaybook"].parameters).toEqual({ label: "x", limit: 3, since: "2026-03-31", level: "HIGH", org: aOrg.id });
    await waitForRun(platform.url, a.token, good.data!["runPlaybook"].id);
  });

  it("refuses bad definitions and a GRAPH_QUERY that is not a single query", async () => {
    const a = await platform.newTenant("pb-defs");
    const badDef = await call(a.token, CREATE, {
      input: {
        name: "bad",
        parameters: [{ name: "level", type: "ENUM" }],
        steps: [{ kind: "ASK" }],
        schedule: { cron: "61 * * * *", timeZone: "Mars/Olympus" },
      },
    });
    expect(codes(badDef)).toEqual(["BAD_USER_INPUT"]);
    const paths = (badDef.errors![0]!.extensions!["problems"] as Array<{ path: string }>).map((p) => p.path).sort();
    expect(paths).toEqual(["parameters.0.options", "schedule.timeZone"]);

    const id = await createPlaybook(a, {
      name: "Writes",
      steps: [{ id: "w", kind: "GRAPH_QUERY", config: { query: `mutation { createPeople(input: [{ name: "x" }]) { people { id } } }` } }],
    });
    const run = await waitForRun(platform.url, a.token, (await call(a.token, RUN, { id })).data!["runPlaybook"].id);
    expect(run).toMatchObject({ status: "FAILED", errorCode: "BAD_USER_INPUT" });
    expect(run["steps"][0]).toMatchObject({
      status: "FAILED",
      attempts: 1,
      error: "config.query must be a read-only query, not a mutation",
    });
    const people = await call(a.token, `{ people { id } }`);
    expect(people.data!["people"]).toEqual([]);
  });
});
