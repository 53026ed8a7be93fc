/**
 * Billing alert delivery against the real FerretDB: signed webhooks to a local
 * receiver (retries on 5xx, none on 4xx, give-up after the last attempt),
 * idempotent enqueue, exactly-once attempts under concurrent sweeps, and
 * e-mail through a local SMTP server. The clock is injected: tests advance it
 * and sweep instead of sleeping through backoffs.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { connectMongo, createLogger, createSecretBox, type MongoConnection } from "@intelgraph/kit";
// The root package has no @intelgraph/subgraph-billing dependency and billing's index.ts does not export alerts yet.
// eslint-disable-next-line no-restricted-imports
import {
  createAlertDelivery,
  NO_SMTP_ERROR,
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_HEADER,
  type AlertMessage,
} from "../../subgraphs/billing/src/alerts/alertDelivery.ts";
import { createTestLogger } from "../support/testLogger.ts";

let mongo: MongoConnection;
let clockMs = Date.parse("2026-12-15T10:00:00Z");
const now = () => clockMs;
const logger = createTestLogger("billing-alerts");
const secret = randomBytes(24).toString("hex");
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  mongo = await connectMongo(inject("stores").MONGODB_URI, `t_billalerts_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`);
  await delivery().ensureIndexes();
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await mongo?.db.dropDatabase();
  await mongo?.close();
});

const secretBox = createSecretBox(randomBytes(32).toString("base64url"));
const delivery = (extra: Partial<Parameters<typeof createAlertDelivery>[0]> = {}) =>
  createAlertDelivery({ db: mongo.db, logger, now, secretBox, backoffMs: [5_000, 30_000], timeoutMs: 2_000, ...extra });

let seq = 0;
function alert(tenantId = "tenant-a"): AlertMessage {
  seq += 1;
  return {
    id: `alert-${seq}-${randomBytes(3).toString("hex")}`,
    tenantId,
    kind: "BUDGET",
    subject: "Budget 80 % reached for Acme (2026-12)",
    text: "Acme has used 80 % of its budget for 2026-12.\nAn admin can raise the budget in Billing.",
    payload: { threshold: 80, period: "2026-12", used: 800, budget: 1000 },
  };
}

interface Received {
  body: string;
  headers: http.IncomingHttpHeaders;
  validSignature: boolean;
}

/**
 * A webhook receiver on 127.0.0.1 that checks each signature against the test clock and answers
 * each delivery (by its x-intelgraph-delivery header) with `statuses` in turn, then the last one.
 */
async function receiver(statuses: number[]) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const header = String(req.headers[WEBHOOK_SIGNATURE_HEADER] ?? "");
      received.push({ body, headers: req.headers, validSignature: verifyWebhookSignature(secret, header, body, Math.floor(now() / 1000)) });
      const nth = received.filter((r) => r.headers["x-intelgraph-delivery"] === req.headers["x-intelgraph-delivery"]).length;
      res.writeHead(statuses[Math.min(nth - 1, statuses.length - 1)] ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/billing`, received };
}

describe("billing alert webhooks", () => {
  it("retries a 500 after the backoff and delivers on the third attempt, the same signed body every time", async () => {
    const hook = await receiver([500, 500, 200]);
    const alerts = delivery();
    const message = alert();
    const [first] = await alerts.enqueue(message, { webhook: { url: hook.url, secret } });
    expect(first).toMatchObject({ channel: "WEBHOOK", target: hook.url, status: "PENDING", attempts: 1, lastStatusCode: 500 });
    expect(first!.nextAttemptAt).toEqual(new Date(clockMs + 5_000));

    expect(await alerts.sweep()).toBe(0); // not due yet
    clockMs += 5_000;
    expect(await alerts.sweep()).toBe(1);
    expect((await alerts.deliveries("tenant-a", message.id))[0]).toMatchObject({ status: "PENDING", attempts: 2 });
    clockMs += 29_000;
    expect(await alerts.sweep()).toBe(0);
    clockMs += 1_000;
    expect(await alerts.sweep()).toBe(1);

    const [record] = await alerts.deliveries("tenant-a", message.id);
    expect(record).toMatchObject({
      id: first!.id,
      status: "DELIVERED",
      attempts: 3,
      lastError: null,
      lastStatusCode: 200,
      nextAttemptAt: null,
    });
    expect(record!.deliveredAt).toEqual(new Date(clockMs));
    expect(hook.received).toHaveLength(3);
    expect(hook.received.map((r) => r.validSignature)).toEqual([true, true, true]);
    expect(new Set(hook.received.map((r) => r.body)).size).toBe(1);
    expect(new Set(hook.received.map((r) => r.headers[WEBHOOK_SIGNATURE_HEADER])).size).toBe(3); // re-signed per attempt
    for (const r of hook.received) {
      expect(r.headers["content-type"]).toBe("application/json");
      expect(r.headers["x-intelgraph-delivery"]).toBe(first!.id);
    }
    expect(JSON.parse(hook.received[0]!.body)).toEqual({
      id: message.id,
      type: "billing.alert",
      createdAt: first!.createdAt.toISOString(),
      data: message.payload,
    });
    expect(await alerts.sweep()).toBe(0); // delivered: nothing more to do
  });

  it("fails a 400 at once, without a retry", async () => {
    const hook = await receiver([400]);
    const alerts = delivery();
    const message = alert();
    const [record] = await alerts.enqueue(message, { webhook: { url: hook.url, secret } });
    expect(record).toMatchObject({ status: "FAILED", attempts: 1, lastStatusCode: 400, nextAttemptAt: null });
    expect(record!.lastError).toMatch(/HTTP 400/);
    clockMs += 3_600_000;
    expect(await alerts.sweep()).toBe(0);
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]!.validSignature).toBe(true);
  });

  it("retries an unreachable URL and fails it after the last attempt", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const alerts = delivery();
    const message = alert();

    const [first] = await alerts.enqueue(message, { webhook: { url: `http://127.0.0.1:${port}/gone`, secret } });
    expect(first).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: null });
    expect(first!.lastError).toMatch(/network error/);
    clockMs += 5_000;
    expect(await alerts.sweep()).toBe(1);
    clockMs += 30_000;
    expect(await alerts.sweep()).toBe(1);
    const [record] = await alerts.deliveries("tenant-a", message.id);
    expect(record).toMatchObject({ status: "FAILED", attempts: 3, nextAttemptAt: null });
    expect(record!.lastError).toMatch(/network error.*gave up after 3 attempts/);
    clockMs += 3_600_000;
    expect(await alerts.sweep()).toBe(0);
  });

  it("keeps one record per target however often (or concurrently) an alert is enqueued", async () => {
    const hook = await receiver([200]);
    const alerts = delivery({ smtp: undefined });
    const message = alert();
    const channels = { webhook: { url: hook.url, secret }, emails: ["Ops@Example.com", "ops@example.com ", "cfo@example.com"] };
    const first = await alerts.enqueue(message, channels);
    const again = await Promise.all([alerts.enqueue(message, channels), delivery().enqueue(message, channels)]);
    expect(first.map((r) => [r.channel, r.target])).toEqual([
      ["WEBHOOK", hook.url],
      ["EMAIL", "ops@example.com"],
      ["EMAIL", "cfo@example.com"],
    ]);
    for (const records of again) expect(records.map((r) => r.id)).toEqual(first.map((r) => r.id));
    expect(await alerts.deliveries("tenant-a", message.id)).toHaveLength(3);
    expect(hook.received).toHaveLength(1);
  });

  it("makes each due attempt once when two processes sweep at the same time", async () => {
    const hook = await receiver([503, 200]);
    const messages = Array.from({ length: 6 }, () => alert());
    for (const message of messages) await delivery().enqueue(message, { webhook: { url: hook.url, secret } });
    expect(hook.received).toHaveLength(6);
    clockMs += 5_000;
    const made = await Promise.all([delivery().sweep(), delivery().sweep(), delivery().sweep()]);
    expect(made.reduce((a, b) => a + b, 0)).toBe(6);
    expect(hook.received).toHaveLength(12);
    const ids = hook.received.slice(6).map((r) => String(r.headers["x-intelgraph-delivery"]));
    expect(new Set(ids).size).toBe(6);
    for (const message of messages) {
      expect((await delivery().deliveries("tenant-a", message.id))[0]).toMatchObject({ status: "DELIVERED", attempts: 2 });
    }
  });

  it("logs neither the secret nor the URL's credentials or query, and sends the credentials as Basic auth", async () => {
    const hook = await receiver([500]);
    const lines: string[] = [];
    const capture = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString("utf8")), done()) });
    const alerts = delivery({ logger: createLogger({ name: "capture", destination: capture }) });
    const url = hook.url.replace("http://", "http://hookuser:hookpass123@") + "?token=querytoken456";
    const [record] = await alerts.enqueue(alert(), { webhook: { url, secret } });
    expect(record).toMatchObject({ status: "PENDING", target: `${hook.url}?…` });
    expect(hook.received[0]!.headers["authorization"]).toBe(`Basic ${Buffer.from("hookuser:hookpass123").toString("base64")}`);
    const logged = lines.join("");
    expect(logged).toMatch(/billing alert delivery failed; it will be retried/);
    expect(logged).not.toMatch(/"level":50/);
    for (const secretPart of [secret, "hookpass123", "querytoken456"]) expect(logged).not.toContain(secretPart);
  });

  it("shows a tenant only its own deliveries", async () => {
    const hook = await receiver([200]);
    const message = alert("tenant-b");
    await delivery().enqueue(message, { webhook: { url: hook.url, secret } });
    expect(await delivery().deliveries("tenant-b", message.id)).toHaveLength(1);
    expect(await delivery().deliveries("tenant-a", message.id)).toEqual([]);
    expect((await delivery().deliveries("tenant-b")).every((r) => r.tenantId === "tenant-b")).toBe(true);
  });
});

describe("billing alert e-mail", () => {
  const mails: Array<{ from: string; to: string[]; raw: string }> = [];
  let smtpUrl = "";

  beforeAll(async () => {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onRcptTo(address, _session, callback) {
        callback(address.address.startsWith("nobody@") ? Object.assign(new Error("no such mailbox"), { responseCode: 550 }) : null);
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
          mails.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });

  it("sends one plain-text e-mail per address with the alert's subject and text", async () => {
    const alerts = delivery({ smtp: { url: smtpUrl, from: "billing@intelgraph.test" } });
    const message = alert();
    const records = await alerts.enqueue(message, { emails: ["ops@example.com", "cfo@example.com"] });
    expect(records.map((r) => [r.target, r.status, r.attempts])).toEqual([
      ["ops@example.com", "DELIVERED", 1],
      ["cfo@example.com", "DELIVERED", 1],
    ]);
    expect(mails.map((m) => m.to).sort()).toEqual([["cfo@example.com"], ["ops@example.com"]]);
    for (const mail of mails) {
      expect(mail.from).toBe("billing@intelgraph.test");
      expect(mail.raw).toMatch(/^Subject: Budget 80 % reached for Acme \(2026-12\)\r?$/m);
      expect(mail.raw).toMatch(/^Content-Type: text\/plain/m);
      expect(mail.raw).toContain("Acme has used 80 % of its budget for 2026-12.");
      expect(mail.raw).toContain("An admin can raise the budget in Billing.");
    }
  });

  it("fails an address the SMTP server refuses (550) at once", async () => {
    const alerts = delivery({ smtp: { url: smtpUrl, from: "billing@intelgraph.test" } });
    const [record] = await alerts.enqueue(alert(), { emails: ["nobody@example.com"] });
    expect(record).toMatchObject({ status: "FAILED", attempts: 1, lastStatusCode: 550 });
    expect(record!.lastError).toMatch(/SMTP: .*no such mailbox/);
  });

  it("records e-mail FAILED with a clear error when no SMTP server is configured", async () => {
    const alerts = delivery();
    const message = alert();
    const [record] = await alerts.enqueue(message, { emails: ["ops@example.com"] });
    expect(record).toMatchObject({ channel: "EMAIL", status: "FAILED", attempts: 0, lastError: NO_SMTP_ERROR, nextAttemptAt: null });
    expect(NO_SMTP_ERROR).toMatch(/no SMTP server configured/);
    clockMs += 3_600_000;
    await alerts.sweep(); // retries other tests' deliveries, never this one
    expect(await alerts.deliveries("tenant-a", message.id)).toMatchObject([{ status: "FAILED", attempts: 0, lastError: NO_SMTP_ERROR }]);
  });
});
