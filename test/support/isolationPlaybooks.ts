/**
 * Isolation cases of the playbook operations (test/support/isolationCases.ts
 * spreads them in). A acts on throwaway playbooks, runs and share links of its
 * own; B sends the same variables (A's ids, A's share-link tokens) and is
 * refused (NOT_FOUND: B cannot even learn that they exist). Schedules of the
 * throwaways need an approval nobody gives, so no worker keeps polling them.
 */
import { expect } from "vitest";
import { gql } from "./graphqlClient.ts";
import type { TestPlatform } from "./platform.ts";
import type { IsolationContext, ValidCase } from "./isolationCases.ts";
import type { ReadProof } from "./isolationReads.ts";

let counter = 0;
const unique = (who: string) => `${who}${Date.now().toString(36)}${(counter++).toString(36)}`;
const STEPS = [{ kind: "ASK", config: { question: "list people", confirm: true } }];
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

async function playbookOfA(ctx: IsolationContext, extra: Record<string, unknown> = {}): Promise<string> {
  const data = await ctx.asA(`mutation($input: CreatePlaybookInput!) { createPlaybook(input: $input) { id } }`, {
    input: { name: `throwaway-${unique("a")}`, steps: STEPS, ...extra },
  });
  return data.createPlaybook.id as string;
}

async function runOfA(ctx: IsolationContext, playbookId?: string): Promise<{ runId: string; playbookId: string }> {
  const id = playbookId ?? (await playbookOfA(ctx));
  const data = await ctx.asA(`mutation($id: ID!) { runPlaybook(id: $id) { id } }`, { id });
  return { runId: data.runPlaybook.id as string, playbookId: id };
}

async function shareLinkOfA(ctx: IsolationContext, playbookId: string, scope: "RUN" | "VIEW_RESULTS") {
  const data = await ctx.asA(
    `mutation($input: CreatePlaybookShareLinkInput!) { createPlaybookShareLink(input: $input) { token link { id } } }`,
    { input: { playbookId, scope, expiresAt: inAnHour() } },
  );
  return { token: data.createPlaybookShareLink.token as string, id: data.createPlaybookShareLink.link.id as string };
}

const throwaway = async (ctx: IsolationContext) => ({ id: await playbookOfA(ctx) });
const scheduled = async (ctx: IsolationContext) => ({
  id: await playbookOfA(ctx, { schedule: { cron: "0 3 * * *", timeZone: "UTC" }, requiresApproval: true }),
});

export const PLAYBOOK_CASES: Record<string, ValidCase> = {
  playbookVersion: { variables: ({ ids }) => ({ id: ids.playbook, version: 1 }) },
  playbookRun: { prepare: async (ctx) => runOfA(ctx), variables: (_, __, { runId }) => ({ id: runId }) },
  // A run of A's seeded playbook first, so A's list holds one (run as A's admin).
  playbookRuns: { prepare: async (ctx) => runOfA(ctx, ctx.ids.playbook), variables: ({ ids }) => ({ playbookId: ids.playbook }) },
  previewPlaybookSchedule: { variables: () => ({ cron: "0 3 * * *", timeZone: "Europe/Berlin", count: 3 }) },
  playbookShareLinks: {
    prepare: async (ctx) => shareLinkOfA(ctx, ctx.ids.playbook, "VIEW_RESULTS"),
    variables: ({ ids }) => ({ playbookId: ids.playbook }),
  },
  sharedPlaybook: {
    prepare: async (ctx) => shareLinkOfA(ctx, ctx.ids.playbook, "VIEW_RESULTS"),
    variables: (_, __, { token }) => ({ token }),
  },
  updatePlaybook: {
    prepare: throwaway,
    variables: (_, who, { id }) => ({ id, expectedVersion: 1, input: { name: `pb-${unique(who)}`, steps: STEPS } }),
  },
  setPlaybookAcl: { prepare: throwaway, variables: (_, __, { id }) => ({ id, entries: [{ role: "ANALYST", rights: ["VIEW"] }] }) },
  setPlaybookAlerts: {
    prepare: throwaway,
    variables: (_, __, { id }) => ({ id, input: { webhookUrl: "https://alerts.example/hook", emails: [] } }),
  },
  // A is the last editor, so only a version mismatch (CONFLICT, raised after the ACL check) proves A's call reached the service.
  approvePlaybook: { prepare: throwaway, variables: (_, __, { id }) => ({ id, version: 99 }) },
  pausePlaybookSchedule: { prepare: scheduled, variables: (_, __, { id }) => ({ id }) },
  resumePlaybookSchedule: { prepare: scheduled, variables: (_, __, { id }) => ({ id }) },
  runPlaybook: { prepare: throwaway, variables: (_, __, { id }) => ({ id }) },
  exportPlaybookRun: { prepare: async (ctx) => runOfA(ctx), variables: (_, __, { runId }) => ({ runId, format: "JSON" }) },
  createPlaybookShareLink: {
    variables: ({ ids }) => ({ input: { playbookId: ids.playbook, scope: "VIEW_RESULTS", expiresAt: inAnHour() } }),
  },
  revokePlaybookShareLink: {
    prepare: async (ctx) => shareLinkOfA(ctx, await playbookOfA(ctx), "VIEW_RESULTS"),
    variables: (_, __, { id }) => ({ id }),
  },
  runSharedPlaybook: {
    prepare: async (ctx) => shareLinkOfA(ctx, await playbookOfA(ctx), "RUN"),
    variables: (_, __, { token }) => ({ token }),
  },
};

/** playbookRunUpdated fires for the tenant that runs a playbook; B's own event is its own MANUAL run. */
export const PLAYBOOK_RUN_TRIGGER = {
  expect: "MANUAL",
  async fire(platform: TestPlatform, token: string, name: string) {
    const created = await gql<{ createPlaybook: { id: string } }>(
      platform.url,
      `mutation($input: CreatePlaybookInput!) { createPlaybook(input: $input) { id } }`,
      { input: { name: `${name}-run-${Date.now()}`, steps: STEPS } },
      { token },
    );
    await gql(platform.url, `mutation($id: ID!) { runPlaybook(id: $id) { id } }`, { id: created.data!.createPlaybook.id }, { token });
  },
};

/**
 * Reads whose answer holds no tenant data (the lead spreads these into
 * READ_PROOFS in isolationReads.ts): a schedule preview is a list of times.
 */
export const PLAYBOOK_READ_PROOFS: Record<string, ReadProof> = {
  previewPlaybookSchedule: {
    noIds: "the next run times of a cron pattern, the same for every tenant: no tenant data at all",
    compare(ofA, ofB) {
      expect(ofA).toHaveLength(3);
      for (const at of ofA) expect(new Date(at).getUTCHours()).toBeLessThan(3); // 03:00 Berlin is 01:00 or 02:00 UTC
      expect(ofB).toEqual(ofA);
    },
  },
};
