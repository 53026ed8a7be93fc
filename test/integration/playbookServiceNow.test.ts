/**
 * Playbook steps on the connectors subgraph, against the local ServiceNow
 * Table API double: SERVICENOW_INCIDENT pushes an incident (given as an ENTITY
 * parameter) and succeeds only when delivered; CONNECTOR_INGEST pulls
 * incidents; during an outage the push step fails after its retries.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql } from "../support/graphqlClient.ts";
import { RUN_FIELDS, waitForRun } from "../support/playbookHelpers.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";
import { fixture, startServiceNowDouble, type ServiceNowDouble } from "../support/servicenowDouble.ts";

const platform = useTestPlatform("pbsnow");
let double: ServiceNowDouble;
let tenant: TestTenant;
beforeAll(async () => {
  double = await startServiceNowDouble();
  tenant = await platform.newTenant("pbsnow");
});
afterAll(async () => {
  await double?.close();
});

const ok = async (query: string, variables: Record<string, unknown> = {}) => {
  const res = await gql(platform.url, query, variables, { token: tenant.token });
  if (res.errors?.length) throw new Error(JSON.stringify(res.errors));
  return res.data as Record<string, any>;
};

async function setup(name: string, retries = 0) {
  const connectorId = (
    await ok(`mutation($input: RegisterConnectorInput!) { registerConnector(input: $input) { id } }`, {
      input: { kind: "SERVICENOW", name, baseUrl: double.url, username: "intelgraph", secret: "s3cret-pw" },
    })
  ).registerConnector.id as string;
  const incidentId = (
    await ok(`mutation { createIncidents(input: [{ title: "Phishing wave ${name}", severity: "high" }]) { incidents { id } } }`)
  ).createIncidents.incidents[0].id as string;
  const playbookId = (
    await ok(`mutation($input: CreatePlaybookInput!) { createPlaybook(input: $input) { id } }`, {
      input: {
        name: `Escalate ${name}`,
        parameters: [{ name: "incident", type: "ENTITY", entityType: "Incident", required: true }],
        steps: [
          {
            id: "push",
            kind: "SERVICENOW_INCIDENT",
            retries,
            timeoutMs: 20_000,
            config: { connectorId, incidentId: "{{params.incident}}", workNotes: "escalated by playbook" },
          },
          { id: "pull", kind: "CONNECTOR_INGEST", config: { connectorId } },
        ],
      },
    })
  ).createPlaybook.id as string;
  return { connectorId, incidentId, playbookId };
}

const run = async (playbookId: string, incidentId: string) =>
  (
    await ok(`mutation($id: ID!, $p: JSON) { runPlaybook(id: $id, parameters: $p) { ${RUN_FIELDS} } }`, {
      id: playbookId,
      p: { incident: incidentId },
    })
  ).runPlaybook.id as string;

describe("playbook ServiceNow steps", () => {
  it("pushes an incident to ServiceNow and pulls incidents back", async () => {
    const { incidentId, playbookId } = await setup("ok");
    double.seed({
      ...fixture("incident-list").result[0],
      sys_id: "c".repeat(32),
      number: "INC0990001",
      sys_updated_on: "2030-02-01 00:00:00",
    });
    const result = await waitForRun(platform.url, tenant.token, await run(playbookId, incidentId), 40_000);
    expect(result["status"]).toBe("SUCCEEDED");
    const [push, pull] = result["steps"];
    expect(push).toMatchObject({ status: "SUCCEEDED", attempts: 1, output: { status: "DELIVERED" } });
    expect(push.output.sysId).toMatch(/^[0-9a-f]{32}$/);
    // The incident the ENTITY parameter named, created in ServiceNow through the connector.
    expect(double.records.get(push.output.sysId)).toMatchObject({
      short_description: "Phishing wave ok",
      correlation_id: `intelgraph:${incidentId}`,
    });
    expect(pull).toMatchObject({ status: "SUCCEEDED" });
    expect(pull.output.fetched).toBeGreaterThanOrEqual(1);
  });

  it("fails the push step after its retries while ServiceNow is down", async () => {
    const { incidentId, playbookId } = await setup("outage", 1);
    double.outage(503);
    try {
      const result = await waitForRun(platform.url, tenant.token, await run(playbookId, incidentId), 60_000);
      expect(result).toMatchObject({ status: "FAILED" });
      expect(result["steps"][0]).toMatchObject({ id: "push", status: "FAILED", attempts: 2 });
      expect(result["steps"][1]).toMatchObject({ id: "pull", status: "SKIPPED", attempts: 0 });
    } finally {
      double.recover();
    }
  });
});
