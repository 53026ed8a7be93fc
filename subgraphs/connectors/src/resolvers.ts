import type { RequestContext } from "@intelgraph/kit";
import type { ConnectorRecord, ConnectorService } from "./connectorService.ts";

export interface ConnectorsContext extends RequestContext {
  connectors: ConnectorService;
}

/** Only safe fields leave the service: the sealed secret never does. */
const view = (c: ConnectorRecord) => ({
  id: c._id,
  kind: c.kind,
  name: c.name,
  baseUrl: c.baseUrl,
  username: c.username,
  secretSource: c.secret.source,
  secretRef: c.secret.source === "REFERENCE" ? c.secret.ref : null,
  createdBy: c.createdBy,
  createdAt: c.createdAt.toISOString(),
});

export const resolvers = {
  Query: {
    connectors: async (_: unknown, __: unknown, ctx: ConnectorsContext) => (await ctx.connectors.list(ctx.principal)).map(view),
  },
  Mutation: {
    registerConnector: async (_: unknown, args: { input: unknown }, ctx: ConnectorsContext) =>
      view(await ctx.connectors.register(ctx.principal, args, ctx.auditHints)),
  },
};
