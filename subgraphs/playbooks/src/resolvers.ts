import { JSONResolver } from "graphql-scalars";
import type { RequestContext } from "@intelgraph/kit";
import type { PlaybookRecord } from "./model.ts";
import type { PlaybookService } from "./playbookService.ts";
import type { RunRecord } from "./runRecords.ts";
import type { RunService } from "./runService.ts";
import type { ShareLinkRecord, ShareLinks } from "./shareLinks.ts";
import { playbookView, runView, versionView } from "./views.ts";

export interface PlaybooksContext extends RequestContext {
  playbooks: PlaybookService;
  runs: RunService;
  shareLinks: ShareLinks;
}

type Ctx = PlaybooksContext;
type PlaybookView = ReturnType<typeof playbookView>;

const view = (p: PlaybookRecord | null) => p && playbookView(p);
const run = (r: RunRecord | null) => r && runView(r);
const linkView = (l: ShareLinkRecord) => ({
  id: l._id,
  playbookId: l.playbookId,
  scope: l.scope,
  parameters: l.parameters,
  expiresAt: l.expiresAt.toISOString(),
  createdBy: l.createdBy,
  createdAt: l.createdAt.toISOString(),
  revokedAt: l.revokedAt?.toISOString() ?? null,
  lastUsedAt: l.lastUsedAt?.toISOString() ?? null,
});

export const resolvers = {
  JSON: JSONResolver,
  Query: {
    playbooks: async (_: unknown, __: unknown, ctx: Ctx) => (await ctx.playbooks.list(ctx.principal)).map(playbookView),
    playbook: async (_: unknown, args: { id: string }, ctx: Ctx) => view(await ctx.playbooks.get(ctx.principal, args)),
    playbookVersion: async (_: unknown, args: { id: string; version: number }, ctx: Ctx) => {
      const v = await ctx.playbooks.version(ctx.principal, args);
      return v && versionView(v);
    },
    playbookRun: async (_: unknown, args: { id: string }, ctx: Ctx) => run(await ctx.runs.get(ctx.principal, args)),
    playbookRuns: async (_: unknown, args: { playbookId: string; first?: number }, ctx: Ctx) =>
      (await ctx.runs.list(ctx.principal, args)).map(runView),
    previewPlaybookSchedule: (_: unknown, args: { cron: string; timeZone?: string; count?: number }, ctx: Ctx) =>
      ctx.playbooks.preview(args),
    playbookShareLinks: async (_: unknown, args: { playbookId: string }, ctx: Ctx) =>
      (await ctx.shareLinks.list(ctx.principal, args)).map(linkView),
    sharedPlaybook: async (_: unknown, args: { token: string }, ctx: Ctx) => {
      const { link, playbook, runs } = await ctx.shareLinks.shared(ctx.principal, args);
      return {
        link: linkView(link),
        name: playbook.name,
        description: playbook.description,
        parameters: playbook.parameters,
        runs: runs.map(runView),
      };
    },
  },
  Mutation: {
    createPlaybook: async (_: unknown, args: { input: unknown }, ctx: Ctx) =>
      playbookView(await ctx.playbooks.create(ctx.principal, args, ctx.auditHints)),
    updatePlaybook: async (_: unknown, args: { id: string; expectedVersion: number; input: unknown }, ctx: Ctx) =>
      playbookView(await ctx.playbooks.update(ctx.principal, args, ctx.auditHints)),
    setPlaybookAcl: async (_: unknown, args: { id: string; entries: unknown }, ctx: Ctx) =>
      playbookView(await ctx.playbooks.setAcl(ctx.principal, args, ctx.auditHints)),
    setPlaybookAlerts: async (_: unknown, args: { id: string; input: unknown; rotateSecret?: boolean }, ctx: Ctx) => {
      const { playbook, webhookSecret } = await ctx.playbooks.setAlerts(ctx.principal, args, ctx.auditHints);
      return { playbook: playbookView(playbook), webhookSecret };
    },
    approvePlaybook: async (_: unknown, args: { id: string; version: number }, ctx: Ctx) =>
      playbookView(await ctx.playbooks.approve(ctx.principal, args, ctx.auditHints)),
    pausePlaybookSchedule: async (_: unknown, args: { id: string }, ctx: Ctx) =>
      playbookView(await ctx.playbooks.setPaused(ctx.principal, args, true, ctx.auditHints)),
    resumePlaybookSchedule: async (_: unknown, args: { id: string }, ctx: Ctx) =>
      playbookView(await ctx.playbooks.setPaused(ctx.principal, args, false, ctx.auditHints)),
    runPlaybook: async (_: unknown, args: { id: string; parameters?: unknown }, ctx: Ctx) =>
      runView(await ctx.runs.run(ctx.principal, args, ctx.auditHints)),
    exportPlaybookRun: (_: unknown, args: { runId: string; format: string }, ctx: Ctx) =>
      ctx.runs.export(ctx.principal, args, ctx.auditHints),
    createPlaybookShareLink: async (_: unknown, args: { input: unknown }, ctx: Ctx) => {
      const { link, token } = await ctx.shareLinks.create(ctx.principal, args, ctx.auditHints);
      return { link: linkView(link), token };
    },
    revokePlaybookShareLink: async (_: unknown, args: { id: string }, ctx: Ctx) =>
      linkView(await ctx.shareLinks.revoke(ctx.principal, args, ctx.auditHints)),
    runSharedPlaybook: async (_: unknown, args: { token: string }, ctx: Ctx) =>
      runView(await ctx.shareLinks.run(ctx.principal, args, ctx.auditHints)),
  },
  Subscription: {
    playbookRunUpdated: {
      subscribe: (_: unknown, args: { runId?: string; playbookId?: string }, ctx: Ctx) => ctx.runs.subscribe(ctx.principal, args),
      resolve: (update: unknown) => update,
    },
  },
  Playbook: {
    __resolveReference: async (ref: { id: string }, ctx: Ctx) => view(await ctx.playbooks.get(ctx.principal, ref)),
    myRights: (p: PlaybookView, _: unknown, ctx: Ctx) => ctx.playbooks.rightsOf(ctx.principal, p.record),
    versions: async (p: PlaybookView, _: unknown, ctx: Ctx) => (await ctx.playbooks.versions(ctx.principal, p.record)).map(versionView),
    runs: async (p: PlaybookView, args: { first: number }, ctx: Ctx) => (await ctx.runs.forPlaybook(p.record, args.first)).map(runView),
  },
  PlaybookSchedule: {
    nextRuns: (s: { cron: string; timeZone: string }, args: { count: number }, ctx: Ctx) =>
      ctx.playbooks.preview({ cron: s.cron, timeZone: s.timeZone, count: args.count }),
  },
};
