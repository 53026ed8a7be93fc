import { print } from "graphql";
import { JSONResolver } from "graphql-scalars";
import { createServiceSubgraph, type RequestContext, type ServiceDeps, type SubgraphServer } from "@intelgraph/kit";
import { createPlaybookService, type PlaybookRecord, type PlaybookService } from "./playbookService.ts";
import { typeDefs } from "./typeDefs.ts";

export const name = "playbooks";

interface PlaybooksContext extends RequestContext {
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

const resolvers = {
  JSON: JSONResolver,
  Query: {
    playbooks: async (_: unknown, __: unknown, ctx: PlaybooksContext) => (await ctx.playbooks.list(ctx.principal)).map(view),
    playbook: async (_: unknown, args: { id: string }, ctx: PlaybooksContext) => {
      const p = await ctx.playbooks.get(ctx.principal, args.id);
      return p && view(p);
    },
  },
  Mutation: {
    createPlaybook: async (_: unknown, args: { input: unknown }, ctx: PlaybooksContext) =>
      view(await ctx.playbooks.create(ctx.principal, args.input, ctx.auditHints)),
  },
  Playbook: {
    __resolveReference: async (ref: { id: string }, ctx: PlaybooksContext) => {
      const p = await ctx.playbooks.get(ctx.principal, ref.id);
      return p && view(p);
    },
  },
};

export async function sdl(): Promise<string> {
  return print(typeDefs);
}

export async function createServer(deps: ServiceDeps): Promise<SubgraphServer> {
  const playbooks = createPlaybookService({ db: deps.db });
  await playbooks.ensureIndexes();
  return createServiceSubgraph<PlaybooksContext>({
    name,
    typeDefs,
    resolvers,
    deps,
    extendContext: (base) => ({ ...base, playbooks }),
  });
}
