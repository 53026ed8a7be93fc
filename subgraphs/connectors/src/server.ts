import { print } from "graphql";
import { createServiceSubgraph, type RequestContext, type ServiceDeps, type SubgraphServer } from "@intelgraph/kit";
import { createConnectorService, type ConnectorRecord, type ConnectorService } from "./connectorService.ts";
import { createSecretBox } from "./secretBox.ts";
import { typeDefs } from "./typeDefs.ts";

export const name = "connectors";

export interface ConnectorsDeps extends ServiceDeps {
  /** Key (≥32 chars) that encrypts connector secrets at rest. */
  connectorSecretKey: string;
}

interface ConnectorsContext extends RequestContext {
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

const resolvers = {
  Query: {
    connectors: async (_: unknown, __: unknown, ctx: ConnectorsContext) => (await ctx.connectors.list(ctx.principal)).map(view),
  },
  Mutation: {
    registerConnector: async (_: unknown, args: { input: unknown }, ctx: ConnectorsContext) =>
      view(await ctx.connectors.register(ctx.principal, args.input, ctx.auditHints)),
  },
};

export async function sdl(): Promise<string> {
  return print(typeDefs);
}

export async function createServer(deps: ConnectorsDeps): Promise<SubgraphServer> {
  const connectors = createConnectorService({ db: deps.db, secretBox: createSecretBox(deps.connectorSecretKey) });
  await connectors.ensureIndexes();
  return createServiceSubgraph<ConnectorsContext>({
    name,
    typeDefs,
    resolvers,
    deps,
    extendContext: (base) => ({ ...base, connectors }),
  });
}
