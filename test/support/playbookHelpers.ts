/** Helpers of the playbook tests: users with a role, runs awaited to their end, a signed-webhook receiver. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from "@intelgraph/kit";
import { gql } from "./graphqlClient.ts";
import { login, type TestTenant } from "./platform.ts";

export const RUN_FIELDS = `id playbookId version status trigger parameters requestedBy runAs scheduledFor error errorCode reportId
  steps { id kind status attempts output outputTruncated error errorCode logs durationMs }`;

export interface TenantUser {
  id: string;
  token: string;
}

/** A user of `tenant` with `role`, created by its admin and signed in. */
export async function userWithRole(url: string, tenant: TestTenant, role: string, label: string): Promise<TenantUser> {
  const email = `${label}-${Math.random().toString(36).slice(2, 8)}@${tenant.slug}.test`;
  const password = `pw-${label}-0123456789`;
  const res = await gql<{ createUser: { id: string } }>(
    url,
    `mutation($e: String!, $p: String!, $r: Role!) { createUser(input: { email: $e, password: $p, role: $r }) { id } }`,
    { e: email, p: password, r: role },
    { token: tenant.token },
  );
  if (!res.data?.createUser) throw new Error(`createUser failed: ${JSON.stringify(res.errors)}`);
  return { id: res.data.createUser.id, token: await login(url, email, password) };
}

/** Polls the run until it has finished (SUCCEEDED or FAILED), or throws after `timeoutMs`. */
export async function waitForRun(url: string, token: string, runId: string, timeoutMs = 20_000): Promise<Record<string, any>> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    const res = await gql(url, `query($id: ID!) { playbookRun(id: $id) { ${RUN_FIELDS} } }`, { id: runId }, { token });
    last = res.data?.["playbookRun"] ?? res.errors;
    const status = res.data?.["playbookRun"]?.status;
    if (status === "SUCCEEDED" || status === "FAILED") return res.data!["playbookRun"];
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`run ${runId} did not finish within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

export interface ReceivedHook {
  body: string;
  path: string;
  delivery: string;
  signature: string;
}

/** A webhook receiver on 127.0.0.1 answering each request with the next of `statuses` (then the last one). */
export async function webhookReceiver(statuses: number[] = [200]) {
  const received: ReceivedHook[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        body: Buffer.concat(chunks).toString("utf8"),
        path: req.url ?? "",
        delivery: String(req.headers["x-intelgraph-delivery"] ?? ""),
        signature: String(req.headers[WEBHOOK_SIGNATURE_HEADER] ?? ""),
      });
      res.writeHead(statuses[Math.min(received.length - 1, statuses.length - 1)] ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    verify: (secret: string, hook: ReceivedHook) =>
      verifyWebhookSignature(secret, hook.signature, hook.body, Math.floor(Date.now() / 1000)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Runs a wait on a run's progress; when it fails, the error also says what
 * the API knows of the run (a slow or stuck step, or a page that missed an
 * update), since the screen alone cannot tell them apart.
 */
export async function withRunState(url: string, token: string, runId: string, wait: () => Promise<unknown>, onFailure?: () => void) {
  try {
    await wait();
  } catch (error) {
    onFailure?.();
    const state = await gql(
      url,
      `query($id: ID!) { playbookRun(id: $id) { status queuedAt startedAt finishedAt error steps { id status attempts startedAt finishedAt error logs } } }`,
      { id: runId },
      { token },
    ).catch((e: unknown) => String(e));
    throw new Error(`${(error as Error).message}\nthe run in the API: ${JSON.stringify(state)}`, { cause: error });
  }
}
