/**
 * The ServiceNow Table API client for the incident table. The secret is
 * handed in as a function and opened per request, here only; it never enters
 * an error, a log line or a result. Every request waits for the connector's
 * token bucket; a 429 blocks the bucket until its Retry-After.
 */
import type { Clock } from "@intelgraph/kit";
import type { z } from "zod";
import type { TokenBucket } from "../rateLimiter.ts";
import { errorEnvelope, incidentRecord, listEnvelope, nextLink, oauthToken, singleEnvelope, type IncidentRecord } from "./contract.ts";

export type FailureKind =
  | "DNS"
  | "CONNECT"
  | "AUTH"
  | "PERMISSION"
  | "NOT_FOUND"
  | "RATE_LIMITED"
  | "SERVER"
  | "HTTP"
  | "CONTRACT"
  /** Not ServiceNow's: another process is creating the same incident right now (its create claim is held). */
  | "BUSY";

/** A failed call, safe to show: status, ServiceNow's message and detail, never credentials. */
export class ServiceNowError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = "ServiceNowError";
  }
  /** 429, 5xx and network failures may succeed later; the rest need a change first. */
  get retryable(): boolean {
    return this.kind === "RATE_LIMITED" || this.kind === "SERVER" || this.kind === "CONNECT" || this.kind === "BUSY";
  }
}

export interface TableClientOptions {
  baseUrl: string;
  authKind: "BASIC" | "OAUTH_CLIENT_CREDENTIALS";
  username: string | null;
  clientId: string | null;
  /** Opens the connector's secret; called per request. */
  secret: () => string;
  bucket: TokenBucket;
  now: Clock;
  /** @default 10_000 */
  timeoutMs?: number;
  /** Called once per HTTP request with its outcome (metrics, health). */
  observe?: (outcome: { ok: boolean; status: number | null; latencyMs: number; error?: string }) => void;
  /** Shared OAuth token cache of this connector (kept across clients). */
  tokenCache?: { token: string; expiresAt: number } | null;
}

export interface ListOptions {
  query?: string;
  limit?: number;
  offset?: number;
  fields?: string[];
}

export interface ListPage {
  records: IncidentRecord[];
  total: number | null;
  /** The offset of the next page (from Link rel="next"), or null on the last page. */
  nextOffset: number | null;
}

const TABLE = "/api/now/table/incident";

/** Retry-After: seconds, or an HTTP date. */
function retryAfterMs(header: string | null, now: number): number {
  if (!header) return 1000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? 1000 : Math.max(0, date - now);
}

function networkFailure(error: unknown): ServiceNowError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return new ServiceNowError("DNS", `The host name does not resolve (${code}).`);
  if ((error as Error).name === "TimeoutError") return new ServiceNowError("CONNECT", "No answer within the timeout.");
  return new ServiceNowError("CONNECT", `No connection: ${code ?? cause?.message ?? (error as Error).message}.`);
}

async function failureOf(res: Response, now: number): Promise<ServiceNowError> {
  const text = await res.text().catch(() => "");
  let said = "";
  try {
    const parsed = errorEnvelope.safeParse(JSON.parse(text));
    if (parsed.success) said = `: ${parsed.data.error.message}${parsed.data.error.detail ? ` (${parsed.data.error.detail})` : ""}`;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  const message = `ServiceNow answered ${res.status}${said}`;
  if (res.status === 429) return new ServiceNowError("RATE_LIMITED", message, 429, retryAfterMs(res.headers.get("retry-after"), now));
  if (res.status === 401) return new ServiceNowError("AUTH", message, 401);
  if (res.status === 403) return new ServiceNowError("PERMISSION", message, 403);
  if (res.status === 404) return new ServiceNowError("NOT_FOUND", message, 404);
  if (res.status >= 500) return new ServiceNowError("SERVER", message, res.status);
  return new ServiceNowError("HTTP", message, res.status);
}

function parse<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
  throw new ServiceNowError("CONTRACT", `ServiceNow's ${what} does not match the Table API contract — ${issues}`);
}

export function createTableClient(options: TableClientOptions) {
  const { baseUrl, bucket, now, timeoutMs = 10_000 } = options;
  const cache = { current: options.tokenCache ?? null };
  /** A secret that cannot be opened (a reference with no manager, a rotated key) is a credentials failure. */
  const secret = () => {
    try {
      return options.secret();
    } catch (error) {
      throw new ServiceNowError("AUTH", `The connector's secret cannot be used: ${(error as Error).message}`);
    }
  };

  async function send(url: string, init: RequestInit): Promise<Response> {
    await bucket.take();
    const started = now();
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const failure = networkFailure(error);
      options.observe?.({ ok: false, status: null, latencyMs: now() - started, error: failure.message });
      throw failure;
    }
    if (res.status === 429) bucket.blockUntil(now() + retryAfterMs(res.headers.get("retry-after"), now()));
    options.observe?.({ ok: res.ok, status: res.status, latencyMs: now() - started, ...(res.ok ? {} : { error: `HTTP ${res.status}` }) });
    return res;
  }

  async function oauthAccessToken(): Promise<string> {
    if (cache.current && cache.current.expiresAt > now() + 5_000) return cache.current.token;
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: options.clientId ?? "",
      client_secret: secret(),
    });
    const res = await send(`${baseUrl}/oauth_token.do`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form,
    });
    if (!res.ok) {
      const failure = await failureOf(res, now());
      // A refused token request is a credentials problem whatever its status (ServiceNow answers 401 or 400).
      throw res.status === 429 || res.status >= 500
        ? failure
        : new ServiceNowError("AUTH", `OAuth token request refused: ${failure.message}`, res.status);
    }
    const token = parse(oauthToken, await res.json(), "OAuth token answer");
    cache.current = { token: token.access_token, expiresAt: now() + token.expires_in * 1000 };
    return token.access_token;
  }

  async function authorization(): Promise<string> {
    if (options.authKind === "OAUTH_CLIENT_CREDENTIALS") return `Bearer ${await oauthAccessToken()}`;
    return `Basic ${Buffer.from(`${options.username ?? ""}:${secret()}`).toString("base64")}`;
  }

  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    const attempt = async () =>
      send(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: await authorization(),
          accept: "application/json",
          ...(body ? { "content-type": "application/json" } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    let res = await attempt();
    // An OAuth token can be revoked before it expires: fetch a new one once.
    if (res.status === 401 && options.authKind === "OAUTH_CLIENT_CREDENTIALS") {
      await res.body?.cancel();
      cache.current = null;
      res = await attempt();
    }
    if (!res.ok) throw await failureOf(res, now());
    return res;
  }

  const json = async (res: Response) => {
    try {
      return await res.json();
    } catch {
      throw new ServiceNowError("CONTRACT", `ServiceNow's answer (HTTP ${res.status}) is not JSON.`, res.status);
    }
  };

  return {
    tokenCache: () => cache.current,

    async create(fields: Record<string, unknown>): Promise<IncidentRecord> {
      return parse(singleEnvelope, await json(await call("POST", TABLE, fields)), "create answer").result;
    },

    async update(sysId: string, fields: Record<string, unknown>): Promise<IncidentRecord> {
      return parse(singleEnvelope, await json(await call("PATCH", `${TABLE}/${encodeURIComponent(sysId)}`, fields)), "update answer")
        .result;
    },

    async get(sysId: string): Promise<IncidentRecord> {
      return parse(singleEnvelope, await json(await call("GET", `${TABLE}/${encodeURIComponent(sysId)}`)), "record").result;
    },

    async list(opts: ListOptions = {}): Promise<ListPage> {
      const params = new URLSearchParams({ sysparm_exclude_reference_link: "true" });
      if (opts.query) params.set("sysparm_query", opts.query);
      params.set("sysparm_limit", String(opts.limit ?? 100));
      params.set("sysparm_offset", String(opts.offset ?? 0));
      if (opts.fields?.length) params.set("sysparm_fields", opts.fields.join(","));
      const res = await call("GET", `${TABLE}?${params}`);
      const records = parse(listEnvelope, await json(res), "list").result;
      const total = res.headers.get("x-total-count");
      const next = nextLink(res.headers.get("link"));
      const nextOffset = next ? Number(new URL(next, baseUrl).searchParams.get("sysparm_offset")) : null;
      return {
        records,
        total: total === null ? null : Number(total),
        nextOffset: nextOffset !== null && Number.isFinite(nextOffset) && nextOffset > (opts.offset ?? 0) ? nextOffset : null,
      };
    },

    /** The incident whose correlation_id is ours, if one exists (the idempotency check). */
    async findByCorrelation(correlationId: string): Promise<IncidentRecord | null> {
      const page = await this.list({ query: `correlation_id=${correlationId}`, limit: 1 });
      return page.records[0] ?? null;
    },

    /** Resolved: state 6 with close_code and close_notes (both mandatory on resolve in a default instance). */
    async resolve(sysId: string, closeCode: string, closeNotes: string): Promise<IncidentRecord> {
      return this.update(sysId, { state: "6", close_code: closeCode, close_notes: closeNotes });
    },
  };
}

export type TableClient = ReturnType<typeof createTableClient>;
export { incidentRecord };
