import { readFile } from "node:fs/promises";
import type { GovernanceService } from "@intelgraph/subgraph-governance";

export interface DemoAccounts {
  demoAdmin: { email: string; password: string; tenantSlug: string };
  operator: { email: string; password: string };
}

/** Idempotently creates the platform operator and a demo tenant with its admin. */
export async function seedDemo(governance: GovernanceService, passwords: { demo: string; operator: string }): Promise<DemoAccounts> {
  const operator = { email: "operator@platform.intelgraph.local", password: passwords.operator };
  await governance.ensureTenantWithAdmin({
    tenant: { name: "Platform", slug: "platform", region: "eu-west-1", plan: "ENTERPRISE" },
    admin: { ...operator, displayName: "Platform operator", platformAdmin: true },
  });
  const demoAdmin = { email: "admin@demo.intelgraph.local", password: passwords.demo, tenantSlug: "demo" };
  await governance.ensureTenantWithAdmin({
    tenant: { name: "Demo", slug: "demo", region: "eu-west-1", plan: "TEAM" },
    admin: { email: demoAdmin.email, password: demoAdmin.password, displayName: "Demo admin" },
  });
  return { demoAdmin, operator };
}

/** The sample packs the demo tenant starts with (subgraphs/graph/samples/, see its README). */
export const DEMO_PACKS = [
  { file: "people.csv", format: "CSV", mapping: "people.mapping.json" },
  { file: "threat-feed.ndjson", format: "NDJSON", mapping: "threat-feed.mapping.json" },
  { file: "stix-bundle.json", format: "STIX", mapping: null },
] as const;

const SAMPLES = new URL("../../subgraphs/graph/samples/", import.meta.url);

async function call<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (body.errors?.length || !body.data) throw new Error(body.errors?.map((e) => e.message).join("; ") ?? `HTTP ${response.status}`);
  return body.data;
}

/**
 * Loads the sample packs into the demo tenant through the public API, the way
 * an analyst would (mapping → approval → job → signed upload), once: a tenant
 * that already has ingest jobs is left alone. Returns the jobs it started
 * (they finish in the background on the platform's ingest worker).
 */
export async function seedDemoData(graphqlUrl: string, admin: { email: string; password: string }): Promise<string[]> {
  const { login } = await call<{ login: { token: string } }>(
    graphqlUrl,
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
    { e: admin.email, p: admin.password },
  );
  const token = login.token;
  const { ingestJobs } = await call<{ ingestJobs: Array<{ id: string }> }>(graphqlUrl, `{ ingestJobs(first: 1) { id } }`, {}, token);
  if (ingestJobs.length) return [];
  const started: string[] = [];
  for (const pack of DEMO_PACKS) {
    const spec = pack.mapping ? JSON.parse(await readFile(new URL(pack.mapping, SAMPLES), "utf8")) : null;
    const { createIngestMapping } = await call<{ createIngestMapping: { id: string } }>(
      graphqlUrl,
      `mutation($input: CreateIngestMappingInput!) { createIngestMapping(input: $input) { id } }`,
      { input: { name: `Sample: ${pack.file}`, format: pack.format, spec } },
      token,
    );
    await call(
      graphqlUrl,
      `mutation($id: ID!) { approveIngestMapping(id: $id, reason: "demo sample pack shipped with IntelGraph") { id } }`,
      { id: createIngestMapping.id },
      token,
    );
    const { createIngestJob } = await call<{ createIngestJob: { id: string; upload: { path: string } } }>(
      graphqlUrl,
      `mutation($input: CreateIngestJobInput!) { createIngestJob(input: $input) { id upload { path } } }`,
      { input: { mappingId: createIngestMapping.id, fileName: pack.file } },
      token,
    );
    const put = await fetch(new URL(createIngestJob.upload.path, graphqlUrl), {
      method: "PUT",
      body: await readFile(new URL(pack.file, SAMPLES)),
      headers: { "content-type": "application/octet-stream" },
    });
    if (!put.ok) throw new Error(`uploading ${pack.file}: HTTP ${put.status}`);
    started.push(createIngestJob.id);
  }
  return started;
}
