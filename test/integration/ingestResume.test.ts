/**
 * Crash and resume: the platform runs without an ingest worker; a worker runs
 * in its own process (`--service ingest-worker`) and is SIGKILLed mid-job.
 * A second worker process takes the job over when the lease runs out and
 * resumes from the checkpoint: every record counted once, no node doubled.
 * RESUME_LOG=debug shows the workers' logs.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { gql } from "../support/graphqlClient.ts";
import { createJob, getJob, sampleMapping, upload, waitForJob } from "../support/ingest.ts";
import { useTestPlatform, type TestTenant } from "../support/platform.ts";

const LINES = 12_000;
const platform = useTestPlatform("resume", { ingest: { INGEST_WORKER: false } });
let a: TestTenant;
const workers: ChildProcess[] = [];

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "gateway/src/main.ts", "--service", "ingest-worker"], {
    env: {
      ...process.env,
      ...platform.config,
      SESSION_TTL_SECONDS: "3600",
      SESSION_JWT_PREVIOUS_SECRETS: "",
      LOG_LEVEL: process.env.RESUME_LOG ?? "warn",
      INGEST_LEASE_MS: "2000",
      INGEST_BATCH_SIZE: "250",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  if (process.env.RESUME_LOG) (child.stdout!.pipe(process.stderr), child.stderr!.pipe(process.stderr));
  child.on("exit", (code, signal) => {
    if (code && code !== 0) console.error(`ingest worker exited ${code} ${signal ?? ""}: ${output}`);
  });
  workers.push(child);
  return child;
}

beforeAll(async () => {
  a = await platform.newTenant("resume", "ENTERPRISE");
}, 60_000);

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill("SIGKILL");
});

it("a worker killed mid-job is replaced and the job resumes from its checkpoint with nothing lost or doubled", async () => {
  const mappingId = await sampleMapping(platform.url, a.token, "threat-feed.ndjson");
  const created = await createJob(platform.url, a.token, mappingId, "resume.ndjson");
  const job = created.data!.createIngestJob;
  // Unique indicators over 300 shared domains; every 1000th line is broken.
  const lines = Array.from({ length: LINES }, (_, i) =>
    i % 1000 === 999
      ? `{"pattern": "broken-${i}"`
      : JSON.stringify({ pattern: `resume-${i}`, kind: "domain", domain: `r${i % 300}.example` }),
  );
  expect((await upload(platform.url, job.upload!.path, lines.join("\n"))).status).toBe(200);
  expect((await getJob(platform.url, a.token, job.id)).state).toBe("QUEUED"); // no worker yet

  const first = startWorker();
  const midway = await waitForJob(platform.url, a.token, job.id, (j) => Number(j.progress["recordsDone"]) >= 1000, 90_000);
  first.kill("SIGKILL");
  await new Promise((r) => first.once("exit", r));
  const atCrash = await getJob(platform.url, a.token, job.id);
  expect(atCrash.state).toBe("RUNNING"); // as far as the store knows; its lease will run out
  expect(Number(atCrash.progress["recordsDone"])).toBeLessThan(LINES);
  expect(Number(midway.progress["recordsDone"])).toBeGreaterThan(0);

  startWorker();
  const done = await waitForJob(platform.url, a.token, job.id, undefined, 120_000);
  expect(done.state, JSON.stringify(done)).toBe("SUCCEEDED");
  expect(done.attempts).toBe(2);
  expect(Number(done.progress["resumedFrom"])).toBeGreaterThanOrEqual(Number(atCrash.progress["recordsDone"]));
  expect(done.totals).toMatchObject({ recordsRead: LINES, recordsWritten: LINES - 12, deadLettered: 12 });

  const session = platform.stores.driver.session();
  try {
    const count = async (q: string) => Number((await session.run(q, { t: a.id })).records[0]!.get(0));
    expect(await count("MATCH (i:Indicator) WHERE i.tenantId = $t RETURN count(i)")).toBe(LINES - 12);
    expect(await count("MATCH (d:Domain) WHERE d.tenantId = $t RETURN count(d)")).toBe(300);
    expect(await count("MATCH (:Indicator)-[r:INDICATES]->(d:Domain) WHERE d.tenantId = $t RETURN count(r)")).toBe(LINES - 12);
  } finally {
    await session.close();
  }
  const letters = await gql(
    platform.url,
    `query($id: ID!) { deadLetters(jobId: $id, first: 100) { totalCount } }`,
    { id: job.id },
    { token: a.token },
  );
  expect(letters.data?.deadLetters.totalCount).toBe(12);
}, 240_000);
