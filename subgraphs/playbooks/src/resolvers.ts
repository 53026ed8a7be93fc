import { JSONResolver } from "graphql-scalars";
import type { RequestContext } from "@intelgraph/kit";
import type { PlaybookRecord, PlaybookService } from "./playbookService.ts";

export interface PlaybooksContext extends RequestContext {
  playbooks: PlaybookService;
}

const view = (p: PlaybookRecord) => ({
  id: p._id,
  name: p.name,
  description: p.description,
  steps: p.steps,
  ownerId: p.ownerId,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

export const resolvers = {
  JSON: JSONResolver,
  Query: {
    playbooks: async (_: unknown, __: unknown, ctx: PlaybooksContext) => (await ctx.playbooks.list(ctx.principal)).map(view),
    playbook: async (_: unknown, args: { id: string }, ctx: PlaybooksContext) => {
      const p = await ctx.playbooks.get(ctx.principal, args);
      return p && view(p);
    },
  },
  Mutation: {
    createPlaybook: async (_: unknown, args: { input: unknown }, ctx: PlaybooksContext) =>
      view(await ctx.playbooks.create(ctx.principal, args, ctx.auditHints)),
  },
  Playbook: {
    __resolveReference: async (ref: { id: string }, ctx: PlaybooksContext) => {
      const p = await ctx.playbooks.get(ctx.principal, ref);
      return p && view(p);
    },
  },
};
