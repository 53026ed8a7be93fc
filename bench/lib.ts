/**
 * What the benches share: a platform config on the running stores with a fresh
 * database, a tenant with a signed-in admin, a GraphQL client, rate limits that
 * never refuse, machine facts, /proc readings, k6, and removing the bench's
 * data afterwards.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream, existsSync, readFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { connectStores, type AllInOneOptions, type AllInOnePlatform } from "@intelgraph/gateway";
import { startStores, storesStatus } from "../scripts/stores.mjs";

export const root = fileURLToPath(new URL("../", import.meta.url));
export const resultsDir = join(root, "bench/results");

export type BenchConfig = AllInOneOptions["config"] & { MONGODB_DB: string };

type Settings<T> = { [K in keyof T]: T[K] extends number ? number : T[K] extends boolean ? boolean : string };

/**
 * A bench's settings from the environment, each under its variable's name: the variable
 * when set, else the default; numbers are parsed, and a flag is on when set to "1".
 */
export function benchSettings<T extends Record<string, number | string | boolean>>(defaults: T): Settings<T> {
  return Object.fromEntries(
    Object.entries(defaults).map(([name, fallback]) => {
      const value = process.env[name];
      if (typeof fallback === "boolean") return [name, value === undefined ? fallback : value === "1"];
      if (value === undefined) return [name, fallback];
      return [name, typeof fallback === "number" ? Number(value) : value];
    }),
  ) as Settings<T>;
}

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

/** A GraphQL request's whole answer: HTTP status and headers, `data` and `errors` as they came. */
export async function gqlResponse<T>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: GqlError[] };
  return { status: res.status, headers: res.headers, ...body };
}

/** A GraphQL request that returns `data` or throws with the errors. */
export async function gql<T>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const { status, data, errors } = await gqlResponse<T>(url, query, variables, token);
  if (errors?.length || !data) throw new Error(`${query.slice(0, 60)}…: HTTP ${status} ${JSON.stringify(errors)}`);
  return data;
}

/** An ENTERPRISE tenant with an admin, signed in. */
export async function benchTenant(
  platform: AllInOnePlatform,
  name: string,
): Promise<{ tenantId: string; slug: string; email: string; token: string }> {
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
  return { tenantId: tenant._id, slug: tenant.slug, email, token: login.token };
}

/** Per-plan rate limits large enough never to refuse, small enough to stay a real token bucket (k6 would otherwise measure 429s). */
const unlimited = { ratePerSecond: 1e6, burst: 1e6 };
export const unlimitedRateLimits = { FREE: unlimited, TEAM: unlimited, ENTERPRISE: unlimited, anonymous: unlimited, address: unlimited };

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
export const round2 = (x: number) => Math.round(x * 100) / 100;
export const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
/** The nearest-rank `p`th percentile of `xs` (any order; 0 when empty). */
export const percentile = (xs: readonly number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
};
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

/** Clock ticks per second of /proc's CPU times (100 where getconf cannot say). */
export const ticksPerSecond = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime, stime, cutime, cstime of a process in clock ticks, from /proc; null when it is gone. */
export function procTicks(pid: number | "self"): [number, number, number, number] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return [Number(fields[11]), Number(fields[12]), Number(fields[13]), Number(fields[14])];
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) of a process so far, from /proc; null when it is gone. */
export function cpuSeconds(pid: number | "self"): number | null {
  const ticks = procTicks(pid);
  return ticks ? (ticks[0] + ticks[1]) / ticksPerSecond : null;
}

/** The local stores' processes (none for external stores), by store name. */
export async function runningStorePids(): Promise<Array<readonly [string, number]>> {
  return Object.entries(await storesStatus()).flatMap(([store, st]) =>
    st.state === "running" && st.pid ? [[store, st.pid] as const] : [],
  );
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

const k6Runs = new Set<ChildProcess>();

/**
 * Runs a k6 script as a child (never synchronously: the bench's own process may be serving the
 * requests) with `-e` variables, its output relayed as `[k6 label]`; resolves with its exit code
 * and the summary it wrote to vars.SUMMARY.
 */
export function runK6(
  bin: string,
  script: string,
  vars: Record<string, string>,
  label?: string,
): Promise<{ code: number; summary: K6Summary | null }> {
  const args = ["run", "--quiet", "--no-color", "--no-usage-report"];
  for (const [k, v] of Object.entries(vars)) args.push("-e", `${k}=${v}`);
  args.push(script);
  const prefix = label ? `[k6 ${label}]` : "[k6]";
  return new Promise((resolve, reject) => {
    const proc = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, K6_NO_USAGE_REPORT: "true" } });
    k6Runs.add(proc);
    const relay = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) if (line.trim()) console.log(`  ${prefix} ${line}`);
    };
    proc.stdout!.on("data", relay);
    proc.stderr!.on("data", relay);
    proc.once("error", reject);
    proc.once("exit", (code, signal) => {
      k6Runs.delete(proc);
      const file = vars["SUMMARY"];
      const summary = file && existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as K6Summary) : null;
      resolve({ code: code ?? (signal ? 128 : 1), summary });
    });
  });
}

/** Interrupts the k6 runs still going (on Ctrl-C or clean-up); they exit and write what they measured. */
export function interruptK6(): void {
  for (const proc of k6Runs) proc.kill("SIGINT");
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
