/**
 * Ingests the four golden sample packs (subgraphs/graph/samples/) into a tenant
 * through the real platform path: a mapping per pack (STIX needs none),
 * approved by the tenant's admin, a job, the upload to its signed path, and
 * the worker; waits for each job to finish. The same path an analyst takes.
 */
import { readFileSync } from "node:fs";
import { gql } from "../lib.ts";

const SAMPLES = new URL("../../subgraphs/graph/samples/", import.meta.url);

interface Pack {
  mapping: string | null;
  format: string;
  recordsWritten: number;
}

/** The packs in the order they are ingested (the order decides which spelling a merged entity keeps). */
export const SAMPLE_PACKS = ["people.csv", "threat-feed.ndjson", "incidents.json", "stix-bundle.json"] as const;

/** Ingests every sample pack once; returns each job's written-record count (which must match expected.json). */
export async function ingestSamplePacks(url: string, token: string): Promise<Record<string, number>> {
  const expected = JSON.parse(readFileSync(new URL("expected.json", SAMPLES), "utf8")) as Record<string, Pack>;
  const written: Record<string, number> = {};
  for (const pack of SAMPLE_PACKS) {
    const { format, mapping } = expected[pack]!;
    const spec = mapping ? JSON.parse(readFileSync(new URL(mapping, SAMPLES), "utf8")) : null;
    const { createIngestMapping: created } = await gql<{ createIngestMapping: { id: string } }>(
      url,
      `mutation($input: CreateIngestMappingInput!) { createIngestMapping(input: $input) { id } }`,
      { input: { name: `ask seed ${pack}`, format, spec } },
      token,
    );
    await gql(url, `mutation($id: ID!) { approveIngestMapping(id: $id, reason: "sample pack") { id } }`, { id: created.id }, token);
    const { createIngestJob: job } = await gql<{ createIngestJob: { id: string; upload: { path: string } } }>(
      url,
      `mutation($input: CreateIngestJobInput!) { createIngestJob(input: $input) { id upload { path } } }`,
      { input: { mappingId: created.id, fileName: pack } },
      token,
    );
    const put = await fetch(new URL(job.upload.path, url), {
      method: "PUT",
      body: readFileSync(new URL(pack, SAMPLES)),
      headers: { "content-type": "application/octet-stream" },
    });
    if (put.status !== 200) throw new Error(`upload of ${pack} refused: ${put.status} ${await put.text()}`);
    written[pack] = await finished(url, token, job.id, pack);
  }
  return written;
}

async function finished(url: string, token: string, id: string, pack: string): Promise<number> {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
    const { ingestJob } = await gql<{ ingestJob: { state: string; error: string | null; totals: { recordsWritten: number } } }>(
      url,
      `query($id: ID!) { ingestJob(id: $id) { state error totals { recordsWritten } } }`,
      { id },
      token,
    );
    if (ingestJob.state === "SUCCEEDED") return ingestJob.totals.recordsWritten;
    if (["FAILED", "CANCELLED"].includes(ingestJob.state)) throw new Error(`ingest of ${pack} ${ingestJob.state}: ${ingestJob.error}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`ingest of ${pack} did not finish in 120 s`);
}
