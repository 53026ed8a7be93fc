/**
 * What the ingest and traversal benches share: a platform config on the
 * running stores with a fresh database, a tenant with a signed-in admin, a
 * GraphQL client that throws on errors, machine facts, /proc readings, k6,
 * and removing the bench's data afterwards.
 */
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream, existsSync, readFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { connectStores, type AllInOneOptions, type AllInOnePlatform } from "@intelgraph/gateway";
import { startStores } from "../scripts/stores.mjs";

export const root = fileURLToPath(new URL("../", import.meta.url));
export const resultsDir = join(root, "bench/results");

export type BenchConfig = AllInOneOptions["config"] & { MONGODB_DB: string };

/** Starts the stores when they are down (they are left running) and returns a production config with a database of its own. */
export async function benchConfig(prefix: string): Promise<BenchConfig> {
  const stores = await startStores({ quiet: true });
  const secret = () => randomBytes(32).toString("base64url");
  return {
    ...stores,
    NEO4J_DATABASE: "neo4j",
    MONGODB_DB: `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`,
    PRINCIPAL_SIGNING_KEY: secret(),
    SESSION_JWT_SECRET: secret(),
    SESSION_TTL_SECONDS: 86_400,
    CONNECTOR_SECRET_KEY: secret(),
    NODE_ENV: "production",
    HOST: "127.0.0.1",
  };
}

type GqlError = { message: string; extensions?: { code?: string } };

/** A GraphQL request that returns `data` or throws with the errors. */
export async function gql<T>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: GqlError[] };
  if (body.errors?.length || !body.data) throw new Error(`${query.slice(0, 60)}…: HTTP ${res.status} ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** An ENTERPRISE tenant with an admin, signed in. */
export async function benchTenant(platform: AllInOnePlatform, name: string): Promise<{ tenantId: string; token: string }> {
  const suffix = randomBytes(4).toString("hex");
  const email = `admin@${name}-${suffix}.test`;
  const password = `pw-${randomBytes(24).toString("base64url")}`;
  const { tenant } = await platform.governance.ensureTenantWithAdmin({
    tenant: { name, slug: `${name}-${suffix}`, region: "eu-west-1", plan: "ENTERPRISE" },
    admin: { email, password, displayName: "Bench admin" },
  });
  const { login } = await gql<{ login: { token: string } }>(
    platform.url,
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`,
    { e: email, p: password },
  );
  return { tenantId: tenant._id, token: login.token };
}

/**
 * Deletes the tenant's nodes and drops the bench's Mongo database. Small
 * transactions: deleting the million-event graph 10k nodes at a time ran the
 * default 1 GiB Neo4j heap out of memory (high-degree nodes carry many edges).
 */
export async function removeBenchData(config: BenchConfig, tenantId: string | undefined): Promise<void> {
  const own = await connectStores(config);
  const session = own.driver.session();
  try {
    if (tenantId)
      await session.run("MATCH (n { tenantId: $id }) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS", { id: tenantId });
    await own.mongo.db.dropDatabase();
  } finally {
    await session.close();
    await own.close();
  }
}

export const round1 = (x: number) => Math.round(x * 10) / 10;
export const mib = (bytes: number) => round1(bytes / 2 ** 20);

export function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "?",
    memoryGiB: round1(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    loadAverage: loadavg().map(round1),
  };
}
export const machineLine = (m: ReturnType<typeof machine>) =>
  `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}`;

const ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** CPU seconds (user + system) of a process so far, from /proc; null when it is gone. */
export function cpuSeconds(pid: number | "self"): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return null;
  }
}

/** Resident set size now and at its peak (VmRSS, VmHWM) in MiB; null when the process is gone. */
export function memory(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
  } catch {
    return null;
  }
}

/** k6: K6_BIN, or built once from the Go module proxy by scripts/tools/k6.sh. */
export function k6Binary(): { bin: string; version: string } {
  const bin =
    process.env["K6_BIN"] ??
    execFileSync("bash", [join(root, "scripts/tools/k6.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  return { bin, version: execFileSync(bin, ["version"], { encoding: "utf8" }).split("\n")[0]!.trim() };
}

export interface K6Summary {
  state: { testRunDurationMs: number };
  metrics: Record<string, { values: Record<string, number> } | undefined>;
}

/** Runs a k6 script with `-e` variables; resolves with its exit code and the summary it wrote to vars.SUMMARY. */
export function runK6(bin: string, script: string, vars: Record<string, string>): Promise<{ code: number; summary: K6Summary | null }> {
  const args = ["run", "--quiet", "--no-color", "--no-usage-report"];
  for (const [k, v] of Object.entries(vars)) args.push("-e", `${k}=${v}`);
  args.push(script);
  return new Promise((resolve, reject) => {
    const proc = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, K6_NO_USAGE_REPORT: "true" } });
    const relay = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) if (line.trim()) console.log(`  [k6] ${line}`);
    };
    proc.stdout!.on("data", relay);
    proc.stderr!.on("data", relay);
    proc.once("error", reject);
    proc.once("exit", (code, signal) => {
      const file = vars["SUMMARY"];
      const summary = file && existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as K6Summary) : null;
      resolve({ code: code ?? (signal ? 128 : 1), summary });
    });
  });
}

/** A mapping for `spec`, approved by the (admin) token's owner, and a job waiting for its upload. */
export async function approvedJob(
  url: string,
  token: string,
  spec: unknown,
  fileName: string,
): Promise<{ jobId: string; uploadPath: string }> {
  const { createIngestMapping: mapping } = await gql<{ createIngestMapping: { id: string } }>(
    url,
    `mutation($input: CreateIngestMappingInput!) { createIngestMapping(input: $input) { id } }`,
    { input: { name: `bench ${fileName}`, format: "NDJSON", spec } },
    token,
  );
  await gql(url, `mutation($id: ID!) { approveIngestMapping(id: $id, reason: "benchmark") { id } }`, { id: mapping.id }, token);
  const { createIngestJob: job } = await gql<{ createIngestJob: { id: string; upload: { path: string } } }>(
    url,
    `mutation($input: CreateIngestJobInput!) { createIngestJob(input: $input) { id upload { path } } }`,
    { input: { mappingId: mapping.id, fileName } },
    token,
  );
  return { jobId: job.id, uploadPath: job.upload.path };
}

/** Streams a file from disk to the job's signed upload URL on the gateway. */
export async function uploadFile(baseUrl: string, path: string, file: string): Promise<void> {
  const put = await fetch(new URL(path, baseUrl), {
    method: "PUT",
    headers: { "content-type": "application/x-ndjson" },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: "half",
  } as RequestInit);
  if (put.status !== 200) throw new Error(`upload refused: ${put.status} ${await put.text()}`);
}
