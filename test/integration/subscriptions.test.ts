import { beforeAll, describe, expect, it } from "vitest";
import { issueSessionToken } from "@intelgraph/kit";
import { gql } from "../support/graphqlClient.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";
import { subscribe } from "../support/wsClient.ts";

const platform = useTestPlatform("subs");
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  a = await platform.newTenant("a");
  b = await platform.newTenant("b");
});

const AUDIT_SUB = `subscription { auditEventRecorded { action service tenantId outcome targetIds } }`;

describe("subscriptions through the gateway (graphql-ws)", () => {
  it("delivers an audit event caused by a mutation, to its own tenant only", async () => {
    const subA = await subscribe(platform.url, AUDIT_SUB, a.token);
    const subB = await subscribe(platform.url, AUDIT_SUB, b.token);
    try {
      // Let both subscriptions reach the subgraph before causing the event.
      await new Promise((r) => setTimeout(r, 300));
      const created = await gql(
        platform.url,
        `mutation { createIncidents(input: [{ title: "Outage" }]) { incidents { id } } }`,
        {},
        { token: a.token },
      );
      const incidentId = created.data?.createIncidents.incidents[0].id;
      expect(await subA.sub.next()).toEqual({
        data: {
          auditEventRecorded: { action: "createIncidents", service: "graph", tenantId: a.id, outcome: "SUCCESS", targetIds: [incidentId] },
        },
      });
      await expect(subB.sub.next(1500)).rejects.toThrow(/no event/);
    } finally {
      await subA.sub.close();
      await subB.sub.close();
    }
  });

  it("refuses an anonymous subscription with UNAUTHENTICATED", async () => {
    const { sub } = await subscribe(platform.url, AUDIT_SUB);
    try {
      const event = (await sub.next()) as { errors?: Array<{ extensions?: { code?: string } }> };
      expect(event.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    } catch (error) {
      // graphql-ws may surface the error as a rejection of the iterator instead.
      expect(JSON.stringify(error)).toContain("UNAUTHENTICATED");
    } finally {
      await sub.close();
    }
  });

  it("closes the socket with 4401 when the session that opened it expires", async () => {
    const { token } = await issueSessionToken({ sub: a.adminId, tid: a.id, roles: ["ADMIN"] }, platform.config.SESSION_JWT_SECRET, 2);
    const { sub } = await subscribe(platform.url, AUDIT_SUB, token);
    const started = Date.now();
    await expect(sub.next(10_000)).rejects.toMatchObject({ code: 4401 });
    expect(Date.now() - started).toBeLessThan(5000);
    await sub.close().catch(() => undefined);
  });

  it("closes the socket for a forged token", async () => {
    const { sub } = await subscribe(platform.url, AUDIT_SUB, "not-a-token");
    await expect(sub.next()).rejects.toMatchObject({ code: 4403 });
    await sub.close().catch(() => undefined);
  });
});
