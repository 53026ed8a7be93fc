/**
 * Tenant-owned Mongo data is reached through `createTenantRepository`, which
 * forces the tenant into every filter. A raw `db.collection(…)`, or a raw
 * collection handle a store hands out (`store.raw.jobs`, `raw.deadLetters`), is allowed only
 * in the files below, each for a stated reason (the tenant is not known yet,
 * the work spans tenants, or the document's id is the tenant). A new raw access
 * anywhere else fails here, so it is a reviewed decision, never an accident.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

const ALLOWED: Record<string, string> = {
  "subgraphs/connectors/src/delivery/sweepQueue.ts":
    "the connector jobs span tenants: due dead letters and sync-enabled connectors (ids and tenants only); each is then handled in its own tenant",
  "subgraphs/kit/src/store/tenantRepository.ts": "the tenant-scoped repository itself",
  "subgraphs/kit/src/audit/auditRecorder.ts":
    "chain appends and reads by position id `<tenant>/<seq>` and the per-tenant head hint; every service records into the event's own tenant",
  "subgraphs/kit/src/usage/usageRecorder.ts":
    "batched inserts of usage events and per-writer live totals, each stamped with the event's tenant (events come from every tenant's requests)",
  "subgraphs/kit/src/usage/usageReader.ts": "rollup markers are per day across tenants; every usage row read is filtered by the tenant",
  "subgraphs/kit/src/usage/billingGuard.ts":
    "reads a tenant's plan (platform record) and its account by the tenant's id; overrides filtered by tenant",
  "subgraphs/kit/src/usage/resourceSamples.ts":
    "CPU samples of a process span tenants (each tenant's share inside); the platform's daily storage totals, one document per store and day",
  "subgraphs/kit/src/schedule/scheduleRuns.ts": "scheduled job runs are the platform's, not a tenant's",
  "subgraphs/billing/src/alerts/deliveryStore.ts":
    "the retry sweep claims due alert deliveries across tenants; each record is then updated in its own tenant",
  "subgraphs/billing/src/billingAlerts.ts":
    "lists the tenants with usage today, for the alert job; alerts themselves go through the tenant repository",
  "subgraphs/billing/src/rollups.ts": "the daily rollup aggregates every tenant's events of a day",
  "subgraphs/billing/src/accounts.ts": "changePlan sets the plan on the caller's own tenant record (platform record, by the tenant's id)",
  "subgraphs/billing/src/funnel.ts": "the funnel document's id is the tenant's; first events are found by the tenant",
  "subgraphs/billing/src/invoiceService.ts": "reads the tenant's own name from its record (platform record)",
  "subgraphs/billing/src/reconciliationService.ts":
    "cost reconciliation compares tenants: it reads every tenant's samples and usage (platform admins only)",
  "subgraphs/graph/src/ingest/billingHold.ts": "puts the one claimed job (by its id and this worker's claim) back in the queue",
  "subgraphs/graph/src/scoring/scoringSettings.ts": "lists this platform's tenant ids (platform records) for the hourly rescoring",
  "subgraphs/kit/src/pubsub/mongoPubSub.ts": "the cross-process event transport; topics carry the tenant",
  "subgraphs/kit/src/store/jobSlots.ts": "concurrent-job slots keyed by tenant, claimed by the ingest worker across tenants",
  "subgraphs/kit/src/compliance/residency.ts": "reads a tenant's own record (tenants are platform records, not tenant-owned documents)",
  "subgraphs/governance/src/governanceService.ts":
    "tenants (platform records) and users, found by e-mail at sign-in before any tenant is known",
  "subgraphs/governance/src/limits.ts": "reads a tenant's plan and limit override (platform records)",
  "subgraphs/governance/src/apiTokens.ts": "verifies a presented API token by its id before any tenant is known",
  "subgraphs/governance/src/refreshTokens.ts": "redeems a presented refresh token before any tenant is known",
  "subgraphs/governance/src/tokenAlerts.ts": "alert rules: one document per tenant whose id is the tenant's",
  "subgraphs/audit/src/chainService.ts": "lists which tenants have a chain, for the anchoring timer",
  "subgraphs/graph/src/ingest/ingestStore.ts": "the worker claims jobs across tenants; bulk inserts stamp each document's tenant",
  "subgraphs/graph/src/ingest/worker.ts": "claims queued jobs across tenants (the worker serves every tenant)",
  "subgraphs/graph/src/ingest/runIngestJob.ts": "updates the one claimed job by its id and this worker's claim",
  "subgraphs/graph/src/ingest/landBatch.ts": "insert-only dead letters and merge decisions, each stamped with the job's tenant",
  "subgraphs/graph/src/ingest/deadLetters.ts":
    "replay inserts merge decisions stamped with the job's tenant (the job was read in the caller's tenant)",
  "subgraphs/graph/src/ingest/uploads.ts": "GridFS chunks of an upload, by the file id of a job already read in its tenant",
  "subgraphs/kit/src/auth/userRoles.ts": "reads one user of a given tenant by id and tenant (a stored grant's current roles), read-only",
  "subgraphs/playbooks/src/runStore.ts":
    "the run worker's queue spans tenants (queued and stale runs), and run claims are fixed-id records keyed by run",
  "subgraphs/playbooks/src/runWorker.ts": "reads the one playbook of a claimed run by its id and the run's tenant",
  "subgraphs/playbooks/src/scheduleTicker.ts":
    "finds the active schedules of every tenant to queue their due slots (each run stamped with its playbook's tenant)",
  "gateway/src/cli/auditVerify.ts": "the operator's CLI verifies any or every tenant's chain",
};

/** `db.collection(…)`, and the raw handles of a store (`store.raw.jobs.updateOne`, `insertNew(store.raw.merges, …)`). */
const RAW = /\.collection\s*(<[^>]*>)?\s*\(|\braw\.[A-Za-z_]\w*\s*[.,)]/;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sources(full);
    return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [full] : [];
  });
}

const roots = ["gateway/src", ...fs.readdirSync(path.join(ROOT, "subgraphs")).map((s) => `subgraphs/${s}/src`)].filter((dir) =>
  fs.existsSync(path.join(ROOT, dir)),
);
const rawUsers = roots
  .flatMap((dir) => sources(path.join(ROOT, dir)))
  .filter((file) => RAW.test(fs.readFileSync(file, "utf8")))
  .map((file) => path.relative(ROOT, file).split(path.sep).join("/"))
  .sort();

describe("Mongo access outside the tenant-scoped repository", () => {
  it("happens only in the reviewed files", () => {
    expect(rawUsers.filter((file) => !(file in ALLOWED))).toEqual([]);
  });

  it("has no stale allowances (a file that no longer needs one loses it)", () => {
    expect(Object.keys(ALLOWED).filter((file) => !rawUsers.includes(file))).toEqual([]);
  });
});
