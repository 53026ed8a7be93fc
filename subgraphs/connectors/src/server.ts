import { print } from "graphql";
import { createServiceSubgraph, type ServiceDeps, type SubgraphServer } from "@intelgraph/kit";
import { createConnectorService } from "./connectorService.ts";
import { resolvers, type ConnectorsContext } from "./resolvers.ts";
import { createSecretBox } from "@intelgraph/kit";
import { typeDefs } from "./typeDefs.ts";

export const name = "connectors";

export interface ConnectorsDeps extends ServiceDeps {
  /** Key (≥32 chars) that encrypts connector secrets at rest. */
  connectorSecretKey: string;
}

export async function sdl(): Promise<string> {
  return print(typeDefs);
}

export async function createServer(deps: ConnectorsDeps): Promise<SubgraphServer> {
  const connectors = createConnectorService({ db: deps.db, secretBox: createSecretBox(deps.connectorSecretKey), now: deps.now });
  await connectors.ensureIndexes();
  return createServiceSubgraph<ConnectorsContext>({
    name,
    typeDefs,
    resolvers,
    deps,
    extendContext: (base) => ({ ...base, connectors }),
  });
}
