import { readFileSync } from "node:fs";
import { gql } from "./graphqlClient.ts";

export const SAMPLES = new URL("../../subgraphs/graph/samples/", import.meta.url);
export const sample = (name: string) => new URL(name, SAMPLES);

export interface Expected {
  mapping: string | null;
  format: "CSV" | "JSON" | "NDJSON" | "STIX";
  recordsRead: number;
  recordsWritten: number;
  deadLettered: number;
  skipped: number;
  entities: Record<string, number>;
  relationships: Record<string, number>;
}
export const EXPECTED = JSON.parse(readFileSync(sample("expected.json"), "utf8")) as Record<string, Expected>;

export const JOB_FIELDS = `id state source format attempts cancelRequested error
  totals { recordsRead recordsWritten deadLettered skipped entitiesCreated entitiesMerged relationshipsWritten }
  progress { recordsDone bytesRead bytesTotal fraction ratePerSecond etaSeconds resumedFrom }
  approvalOverride { by reason } upload { method path expiresAt }`;

export interface Job {
  id: string;
  state: string;
  attempts: number;
  error: string | null;
  totals: Record<string, number>;
  progress: Record<string, number | null>;
  approvalOverride: { by: string; reason: string } | null;
  upload: { method: string; path: string; expiresAt: string } | null;
}

function ok<T>(res: { data?: T | null; errors?: unknown[] }, what: string): T {
  if (res.errors?.length || !res.data) throw new Error(`${what}: ${JSON.stringify(res.errors)}`);
  return res.data;
}

export async function createMapping(url: string, token: string, name: string, format: string, spec: unknown): Promise<string> {
  const res = await gql<{ createIngestMapping: { id: string } }>(
    url,
    `mutation($input: CreateIngestMappingInput!) { createIngestMapping(input: $input) { id state } }`,
    { input: { name, format, spec } },
    { token },
  );
  return ok(res, "createIngestMapping").createIngestMapping.id;
}

export async function approveMapping(url: string, token: string, id: string): Promise<void> {
  const res = await gql(
    url,
    `mutation($id: ID!) { approveIngestMapping(id: $id, reason: "reviewed the sample pack") { id state } }`,
    { id },
    { token },
  );
  ok(res, "approveIngestMapping");
}

/** A mapping for a sample pack, created and approved (STIX needs no spec). */
export async function sampleMapping(url: string, token: string, pack: string, name = pack): Promise<string> {
  const expected = EXPECTED[pack]!;
  const spec = expected.mapping ? JSON.parse(readFileSync(sample(expected.mapping), "utf8")) : null;
  const id = await createMapping(url, token, name, expected.format, spec);
  await approveMapping(url, token, id);
  return id;
}

export async function createJob(url: string, token: string, mappingId: string, fileName: string, override?: string) {
  return gql<{ createIngestJob: Job }>(
    url,
    `mutation($input: CreateIngestJobInput!) { createIngestJob(input: $input) { ${JOB_FIELDS} } }`,
    { input: { mappingId, fileName, ...(override ? { approvalOverride: override } : {}) } },
    { token },
  );
}

/** PUTs a body to the job's signed upload path on the gateway. */
export async function upload(baseUrl: string, path: string, body: Buffer | string): Promise<{ status: number; body: Record<string, any> }> {
  const target = new URL(path, baseUrl);
  const response = await fetch(target, { method: "PUT", body, headers: { "content-type": "application/octet-stream" } });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

export async function getJob(url: string, token: string, id: string): Promise<Job> {
  const res = await gql<{ ingestJob: Job }>(url, `query($id: ID!) { ingestJob(id: $id) { ${JOB_FIELDS} } }`, { id }, { token });
  return ok(res, "ingestJob").ingestJob;
}

export async function waitForJob(
  url: string,
  token: string,
  id: string,
  until = (j: Job) => ["SUCCEEDED", "FAILED", "CANCELLED"].includes(j.state),
  timeoutMs = 60_000,
): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJob(url, token, id);
    if (until(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.state} after ${timeoutMs} ms: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Creates a job for `file` with `mappingId`, uploads it and waits for the end. */
export async function ingestFile(url: string, token: string, mappingId: string, file: URL | Buffer, fileName = "upload"): Promise<Job> {
  const created = ok(await createJob(url, token, mappingId, fileName), "createIngestJob").createIngestJob;
  const body = Buffer.isBuffer(file) ? file : readFileSync(file);
  const put = await upload(url, created.upload!.path, body);
  if (put.status !== 200) throw new Error(`upload: ${put.status} ${JSON.stringify(put.body)}`);
  return waitForJob(url, token, created.id);
}
