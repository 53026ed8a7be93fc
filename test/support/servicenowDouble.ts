/**
 * A local ServiceNow Table API double (incident table) following the
 * documented contract: the `{ "result": … }` envelope, the
 * `{ "error": { message, detail }, "status": "failure" }` error shape,
 * 401/403/404/429/5xx, X-Total-Count and Link pagination, basic auth and
 * `POST /oauth_token.do` (client credentials). Faults can be injected (429
 * storms with Retry-After, 5xx outages), and every request is logged with its
 * time, so tests check what was sent and when.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";

export const fixture = <T = any>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../fixtures/servicenow/${name}.json`, import.meta.url), "utf8")) as T;

export interface LoggedRequest {
  at: number;
  method: string;
  path: string;
  query: URLSearchParams;
  status: number;
  body: Record<string, unknown> | null;
}

type Record_ = Record<string, string>;

const NOT_FOUND = fixture("error-not-found");
const UNAUTHORIZED = fixture("error-unauthorized");
const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");

export interface ServiceNowDouble {
  url: string;
  records: Map<string, Record_>;
  log: LoggedRequest[];
  users: Map<string, { password: string; canReadIncidents: boolean }>;
  oauthClients: Map<string, string>;
  /** The next `count` table requests answer 429 with `Retry-After: seconds`; a request before that time gets 429 too. */
  storm(count: number, retryAfterSeconds: number): void;
  /** Table answers leave this long after they were decided (0 by default): two requests in flight see the same state. */
  latency(ms: number): void;
  /** Every table request answers `status` (503 by default) until `recover()`. */
  outage(status?: number): void;
  recover(): void;
  /** Revokes every issued OAuth token (the next request with one gets 401). */
  revokeTokens(): void;
  seed(record: Record_): void;
  tableRequests(): LoggedRequest[];
  close(): Promise<void>;
}

/** The sysparm_query subset the connector sends: `a=b`, `a>=b`, `^` (AND) and ORDERBY. */
function matches(record: Record_, query: string | null): boolean {
  if (!query) return true;
  return query.split("^").every((part) => {
    if (part.startsWith("ORDERBY")) return true;
    const ge = /^(\w+)>=(.*)$/.exec(part);
    if (ge) return (record[ge[1]!] ?? "") >= ge[2]!;
    const eq = /^(\w+)=(.*)$/.exec(part);
    return eq ? (record[eq[1]!] ?? "") === eq[2] : true;
  });
}

const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
  return status;
};
/** `POST /oauth_token.do` (client credentials): a fresh token for a known client, 401 `access_denied` otherwise. */
function oauthToken(res: http.ServerResponse, raw: string, clients: Map<string, string>, tokens: Map<string, number>): number {
  const form = new URLSearchParams(raw);
  const secret = clients.get(form.get("client_id") ?? "");
  if (form.get("grant_type") !== "client_credentials" || !secret || secret !== form.get("client_secret")) {
    return send(res, 401, { error: "access_denied", error_description: "access_denied" });
  }
  const token = randomBytes(18).toString("base64url");
  tokens.set(token, Date.now() + 1_799_000);
  return send(res, 200, { ...fixture<Record<string, unknown>>("oauth-token"), access_token: token });
}

/** Basic auth against `users` (a user without incident read access is forbidden), or a live OAuth bearer token. */
function authorized(
  req: http.IncomingMessage,
  tokens: Map<string, number>,
  users: Map<string, { password: string; canReadIncidents: boolean }>,
): "ok" | "denied" | "forbidden" {
  const header = req.headers.authorization ?? "";
  if (header.startsWith("Bearer ")) return (tokens.get(header.slice(7)) ?? 0) > Date.now() ? "ok" : "denied";
  if (!header.startsWith("Basic ")) return "denied";
  const [user, password] = Buffer.from(header.slice(6), "base64").toString().split(":");
  const known = users.get(user ?? "");
  if (!known || known.password !== password) return "denied";
  return known.canReadIncidents ? "ok" : "forbidden";
}

/** Makes `res` leave `ms` after it was decided (its `end` is deferred). */
function delayEnd(res: http.ServerResponse, ms: number): void {
  const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
  res.end = ((...args: unknown[]) => (setTimeout(() => end(...args), ms), res)) as typeof res.end;
}

const failure = (message: string, detail: string) => ({ error: { message, detail }, status: "failure" });

export async function startServiceNowDouble(): Promise<ServiceNowDouble> {
  const records = new Map<string, Record_>();
  const log: LoggedRequest[] = [];
  const users = new Map([["intelgraph", { password: "s3cret-pw", canReadIncidents: true }]]);
  const oauthClients = new Map([["ig-client", "client-s3cret"]]);
  const tokens = new Map<string, number>();
  let stormLeft = 0;
  let stormSeconds = 1;
  let blockedUntil = 0;
  let outage: number | null = null;
  let seq = 10_000;

  function table(req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: Record<string, string> | null): number {
    const now = Date.now();
    if (outage) return send(res, outage, failure("Service Unavailable", "The instance is unavailable"));
    if (stormLeft > 0 || now < blockedUntil) {
      // A storm request opens (or extends) the window; a request inside it is told how long is left, like a rate window.
      if (stormLeft > 0) {
        stormLeft--;
        blockedUntil = Math.max(blockedUntil, now + stormSeconds * 1000);
      }
      const retryAfter = Math.max(1, Math.ceil((blockedUntil - now) / 1000));
      return send(res, 429, failure("Too many requests", "Rate limit exceeded"), { "retry-after": String(retryAfter) });
    }
    const auth = authorized(req, tokens, users);
    if (auth === "denied") return send(res, 401, UNAUTHORIZED);
    if (auth === "forbidden") return send(res, 403, failure("Operation Failed", "ACL Exception Read operation on table 'incident' failed"));
    const sysId = url.pathname.split("/")[5];
    if (req.method === "POST" && !sysId) {
      const id = randomBytes(16).toString("hex");
      const record: Record_ = {
        state: "1",
        ...body,
        sys_id: id,
        number: `INC${++seq}`,
        sys_created_on: stamp(now),
        sys_updated_on: stamp(now),
      };
      delete record["work_notes"];
      records.set(id, record);
      return send(res, 201, { result: record }, { location: `${url.origin}/api/now/table/incident/${id}` });
    }
    if (sysId) {
      const record = records.get(sysId);
      if (!record) return send(res, 404, NOT_FOUND);
      if (req.method === "PATCH" || req.method === "PUT") {
        const { work_notes: notes, ...fields } = body ?? {};
        Object.assign(record, fields, { sys_updated_on: stamp(now) });
        if (notes) record["work_notes_log"] = `${record["work_notes_log"] ?? ""}${notes}\n---\n`;
      }
      return send(res, 200, { result: record });
    }
    const all = [...records.values()].filter((r) => matches(r, url.searchParams.get("sysparm_query")));
    if (/ORDERBYsys_updated_on/.test(url.searchParams.get("sysparm_query") ?? ""))
      all.sort((a, b) => a.sys_updated_on!.localeCompare(b.sys_updated_on!));
    const limit = Number(url.searchParams.get("sysparm_limit") ?? 10_000);
    const offset = Number(url.searchParams.get("sysparm_offset") ?? 0);
    const page = all.slice(offset, offset + limit);
    const link = (o: number, rel: string) => {
      const u = new URL(url);
      u.searchParams.set("sysparm_offset", String(o));
      return `<${u}>;rel="${rel}"`;
    };
    const links = [
      link(0, "first"),
      ...(offset + limit < all.length ? [link(offset + limit, "next")] : []),
      link(Math.max(0, all.length - limit), "last"),
    ];
    return send(res, 200, { result: page }, { "x-total-count": String(all.length), link: links.join(",") });
  }

  let latencyMs = 0;
  const server = http.createServer((req, res) => {
    if (latencyMs > 0) delayEnd(res, latencyMs);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
      const raw = Buffer.concat(chunks).toString();
      const entry: LoggedRequest = {
        at: Date.now(),
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        status: 0,
        body: null,
      };
      log.push(entry);
      if (url.pathname === "/oauth_token.do" && req.method === "POST") {
        entry.status = oauthToken(res, raw, oauthClients, tokens);
        return;
      }
      if (!url.pathname.startsWith("/api/now/table/incident")) {
        entry.status = send(res, 400, failure("Invalid table", "Only incident is served"));
        return;
      }
      let body: Record<string, string> | null = null;
      try {
        body = raw ? (JSON.parse(raw) as Record<string, string>) : null;
      } catch {
        entry.status = send(res, 400, failure("Exception while reading request", "The payload is not valid JSON."));
        return;
      }
      entry.body = body;
      entry.status = table(req, res, url, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // A shared double (the isolation suite's) must not keep the test process alive.
  server.unref();
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    records,
    log,
    users,
    oauthClients,
    storm(count, retryAfterSeconds) {
      stormLeft = count;
      stormSeconds = retryAfterSeconds;
    },
    latency(ms) {
      latencyMs = ms;
    },
    outage(status = 503) {
      outage = status;
    },
    recover() {
      outage = null;
    },
    revokeTokens() {
      tokens.clear();
    },
    seed(record) {
      records.set(record["sys_id"]!, { ...record });
    },
    tableRequests: () => log.filter((r) => r.path.startsWith("/api/now/table/incident")),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
