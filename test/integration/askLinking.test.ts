/**
 * askGraph links names to the tenant's own data: a misspelt name gets a "did
 * you mean" hint naming the closest one of that kind in the caller's tenant,
 * never another tenant's; a question asking for recent things without a
 * range is told to add one.
 */
import { describe, expect, it } from "vitest";
import { gql } from "../support/graphqlClient.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";

const platform = useTestPlatform("asklink");
const ASK = `query($q: String!) { askGraph(question: $q, mode: PREVIEW) { hints reasons confidence } }`;

async function ask(tenant: TestTenant, q: string) {
  const res = await gql<{ askGraph: { hints: string[]; reasons: string[]; confidence: number } }>(
    platform.url,
    ASK,
    { q },
    { token: tenant.token },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.askGraph;
}

async function seedOrganization(tenant: TestTenant, name: string) {
  const res = await gql(
    platform.url,
    `mutation($n: String!) { createOrganizations(input: [{ name: $n }]) { organizations { id } } }`,
    { n: name },
    { token: tenant.token },
  );
  expect(res.errors).toBeUndefined();
}

describe("askGraph value linking", () => {
  it("suggests the tenant's own closest name for a misspelt one, and none from another tenant", async () => {
    const a = await platform.newTenant("link-a");
    const b = await platform.newTenant("link-b");
    await seedOrganization(a, "Acme Corp");
    await seedOrganization(b, "Acme Crop Holdings");

    expect((await ask(a, "which people work for “Acme Crop”")).hints).toContain(
      "Did you mean the organization “Acme Corp”? Nothing of that kind is named “Acme Crop”.",
    );
    expect((await ask(a, "which people work for “Acme Corp”")).hints.join()).not.toMatch(/Did you mean/);
    // B's own "Acme Crop Holdings" matches; A's "Acme Corp" is never offered to B.
    expect((await ask(b, "which people work for “Acme Corp”")).hints.join()).not.toMatch(/Acme Corp”\?/);
  });

  it("asks for a time range when a question wants recent things without one", async () => {
    const a = await platform.newTenant("link-time");
    const answer = await ask(a, "list recent incidents");
    expect(answer.hints).toContain("Add a time range, e.g. “seen in the last 30 days” or “since 2025-01-01”.");
    expect(answer.confidence).toBe(0.8);
  });
});
