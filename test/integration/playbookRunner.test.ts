/**
 * The run worker on its own (playbooks subgraphs built like the composition
 * root does, reached with a signed principal): failure alerts by e-mail through
 * a real SMTP server; at most `tenantConcurrency` runs of a tenant at once; and
 * a run whose worker stopped is taken over by another worker after its lease,
 * as a second claimed attempt, and finished there.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectStores, createServiceDeps, createSubgraph, type Stores } from "@intelgraph/gateway";
import type { ServiceDeps, SubgraphServer } from "@intelgraph/kit";
import { callAs } from "../support/playbookProcess.ts";
import { testConfig } from "../support/platform.ts";
import { createTestLogger } from "../support/testLogger.ts";

const config = testConfig("pbrunner");
let stores: Stores;
const servers: SubgraphServer[] = [];
const closers: Array<() => Promise<unknown>> = [];
const tenantId = randomUUID();
const userId = randomUUID();
const principal = { kind: "user" as const, tenantId, userId, roles: ["ANALYST"], scopes: [] };

/** A playbooks subgraph with its own worker on the test database; `extra` is what the composition root would pass. */
async function playbooksServer(extra: Record<string, unknown>): Promise<{ url: string; server: SubgraphServer }> {
  const deps = await createServiceDeps(config, stores, createTestLogger("pbrunner"));
  const server = await createSubgraph("playbooks", { ...deps, ...extra } as ServiceDeps, stores, config);
  servers.push(server);
  return { url: await server.listen(0), server };
}

const call = (url: string, query: string, variables: Record<string, unknown> = {}) =>
  callAs(url, config.PRINCIPAL_SIGNING_KEY, principal, query, variables);

async function createAndRun(url: string, name: string, steps: unknown[]): Promise<string> {
  const created = await call(url, `mutation($input: CreatePlaybookInput!) { createPlaybook(input: $input) { id } }`, {
    input: { name, steps },
  });
  expect(created.errors).toBeUndefined();
  const run = await call(url, `mutation($id: ID!) { runPlaybook(id: $id) { id } }`, { id: created.data!["createPlaybook"].id });
  expect(run.errors).toBeUndefined();
  return run.data!["runPlaybook"].id as string;
}

async function runOf(url: string, id: string): Promise<Record<string, any>> {
  const res = await call(url, `query($id: ID!) { playbookRun(id: $id) { id status error steps { status attempts } } }`, { id });
  return res.data!["playbookRun"];
}

/** A receiver that holds every request until `release()`; counts how many it holds at most. */
async function holdingReceiver() {
  const held: http.ServerResponse[] = [];
  let most = 0;
  let total = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    total++;
    held.push(res);
    most = Math.max(most, held.length);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held: () => held.length,
    most: () => most,
    total: () => total,
    release() {
      for (const res of held.splice(0)) res.writeHead(200).end();
    },
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

beforeAll(async () => {
  stores = await connectStores(config);
  await stores.mongo.db
    .collection("governance_users")
    .insertOne({ _id: userId as never, tenantId, role: "ANALYST", active: true, email: "runner@pb.test" });
});
afterAll(async () => {
  for (const server of servers) await server.stop();
  for (const close of closers) await close();
  await stores?.mongo.db.dropDatabase();
  await stores?.close();
});

describe("playbook run worker", () => {
  it("e-mails each alert address when a run fails", async () => {
    const mails: Array<{ to: string[]; raw: string }> = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
    const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
    const { url } = await playbooksServer({ smtp: { url: smtpUrl, from: "playbooks@intelgraph.test" } });

    const created = await call(url, `mutation($input: CreatePlaybookInput!) { createPlaybook(input: $input) { id } }`, {
      input: { name: "Mailed", steps: [{ id: "down", kind: "WEBHOOK", config: { url: "http://127.0.0.1:9/down" } }] },
    });
    const id = created.data!["createPlaybook"].id;
    const set = await call(
      url,
      `mutation($id: ID!) { setPlaybookAlerts(id: $id, input: { emails: ["soc@example.com", "lead@example.com"] }) { playbook { alerts { emails } } } }`,
      { id },
    );
    expect(set.data!["setPlaybookAlerts"].playbook.alerts.emails).toEqual(["soc@example.com", "lead@example.com"]);
    const runId = (await call(url, `mutation($id: ID!) { runPlaybook(id: $id) { id } }`, { id })).data!["runPlaybook"].id;

    await expect.poll(() => mails.length, { timeout: 15_000 }).toBe(2);
    expect(mails.map((m) => m.to).sort()).toEqual([["lead@example.com"], ["soc@example.com"]]);
    for (const mail of mails) {
      const text = mail.raw.replace(/=\r\n/g, ""); // quoted-printable soft line breaks
      expect(text).toContain("Subject: Playbook run failed: Mailed");
      expect(text).toContain(`The run ${runId} of playbook "Mailed" (version 1, manual) failed`);
      expect(text).toContain('Step "webhook 1" (down) failed after 1 attempt(s): The webhook 127.0.0.1:9 did not answer');
    }
    expect((await runOf(url, runId))["status"]).toBe("FAILED");
  }, 30_000);

  it("runs at most tenantConcurrency runs of a tenant at once; the rest wait queued", async () => {
    const hooks = await holdingReceiver();
    closers.push(hooks.close);
    const { url } = await playbooksServer({ runner: { tenantConcurrency: 2, pollMs: 200 } });
    const steps = [{ kind: "WEBHOOK", timeoutMs: 20_000, config: { url: `${hooks.url}/slow` } }];
    const ids = [
      await createAndRun(url, "slow-1", steps),
      await createAndRun(url, "slow-2", steps),
      await createAndRun(url, "slow-3", steps),
    ];

    await expect.poll(() => hooks.held(), { timeout: 10_000 }).toBe(2);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(hooks.held()).toBe(2);
    const statuses = (await Promise.all(ids.map((id) => runOf(url, id)))).map((r) => r["status"]).sort();
    expect(statuses).toEqual(["QUEUED", "RUNNING", "RUNNING"]);

    hooks.release();
    await expect.poll(() => hooks.total(), { timeout: 10_000 }).toBe(3);
    hooks.release();
    await expect
      .poll(async () => (await Promise.all(ids.map((id) => runOf(url, id)))).map((r) => r["status"]), { timeout: 10_000 })
      .toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    expect(hooks.most()).toBe(2);
  }, 40_000);

  it("takes over a run whose worker stopped once its lease ran out, as attempt 2, and finishes it", async () => {
    const hooks = await holdingReceiver();
    closers.push(hooks.close);
    const first = await playbooksServer({ runner: { leaseMs: 1_500, pollMs: 200 } });
    const steps = [{ id: "hook", kind: "WEBHOOK", timeoutMs: 20_000, config: { url: `${hooks.url}/held` } }];
    const runId = await createAndRun(first.url, "taken-over", steps);
    await expect.poll(() => hooks.held(), { timeout: 10_000 }).toBe(1);
    await first.server.stop(); // the run stays RUNNING with its lease; nobody renews it
    servers.splice(servers.indexOf(first.server), 1);
    hooks.release();

    const second = await playbooksServer({ runner: { leaseMs: 1_500, pollMs: 200 } });
    await expect.poll(async () => (await runOf(second.url, runId))["status"], { timeout: 15_000 }).toBe("RUNNING");
    await expect.poll(() => hooks.held(), { timeout: 10_000 }).toBe(1);
    hooks.release();
    await expect.poll(async () => (await runOf(second.url, runId))["status"], { timeout: 10_000 }).toBe("SUCCEEDED");
    const claims = await stores.mongo.db.collection("playbook_run_claims").find({ runId }).toArray();
    expect(claims.map((c) => c["_id"]).sort()).toEqual([`${runId}#1`, `${runId}#2`]);
    const stored = await stores.mongo.db.collection("playbook_runs").findOne({ _id: runId as never });
    expect(stored?.["attempt"]).toBe(2);
  }, 40_000);

  it("fails a scheduled run whose schedule owner is disabled (signed in before, disabled since), saying so", async () => {
    const ownerId = randomUUID();
    await stores.mongo.db
      .collection("governance_users")
      .insertOne({ _id: ownerId as never, tenantId, role: "ANALYST", active: false, email: "gone@pb.test" });
    const owner = { ...principal, userId: ownerId };
    const { url } = await playbooksServer({ runner: { pollMs: 200 } });
    const created = await callAs(
      url,
      config.PRINCIPAL_SIGNING_KEY,
      owner,
      `mutation($input: CreatePlaybookInput!) { createPlaybook(input: $input) { id } }`,
      {
        input: {
          name: "Every second",
          steps: [{ kind: "WEBHOOK", config: { url: "http://127.0.0.1:9/never" } }],
          schedule: { cron: "* * * * * *" },
        },
      },
    );
    const id = created.data!["createPlaybook"].id as string;
    const runs = () => stores.mongo.db.collection("playbook_runs").find({ playbookId: id, status: "FAILED" }).toArray();
    await expect.poll(async () => (await runs()).length, { timeout: 10_000 }).toBeGreaterThan(0);
    await callAs(
      url,
      config.PRINCIPAL_SIGNING_KEY,
      { ...principal, roles: ["ADMIN"] },
      `mutation($id: ID!) { pausePlaybookSchedule(id: $id) { id } }`,
      { id },
    );
    const [failed] = await runs();
    expect(failed).toMatchObject({ trigger: "SCHEDULE", errorCode: "FORBIDDEN", requestedBy: ownerId });
    expect(failed!["error"]).toBe(
      `The run runs as user ${ownerId}, who is disabled; ask someone with the right to set the schedule or share link again as themselves.`,
    );
    expect(failed!["stepRuns"].map((s: { status: string }) => s.status)).toEqual(["SKIPPED"]);
  }, 30_000);
});
