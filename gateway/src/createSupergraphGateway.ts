import { ApolloGateway } from "@apollo/gateway";
import type { GraphQLSchema } from "graphql";
import type { SubgraphTransport } from "@intelgraph/kit";
import { TransportDataSource } from "./transportDataSource.ts";

export interface SupergraphGateway {
  /** Apollo's federation gateway (query planning and execution over the transports). */
  gateway: ApolloGateway;
  /** The API schema once the supergraph is loaded (graphql-ws validates and subscribes against it); throws before. */
  apiSchema(): GraphQLSchema;
}

/**
 * Apollo Gateway over a static supergraph, each subgraph reached through its
 * transport with the signed principal (TransportDataSource).
 */
export function createSupergraphGateway(
  supergraphSdl: string,
  transports: ReadonlyMap<string, SubgraphTransport>,
  principalKey: string,
): SupergraphGateway {
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService({ name }) {
      const transport = transports.get(name);
      if (!transport) throw new Error(`no transport for subgraph "${name}"`);
      return new TransportDataSource(transport, principalKey);
    },
  });
  let loaded: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    loaded = apiSchema;
  });
  return {
    gateway,
    apiSchema() {
      if (!loaded) throw new Error("gateway schema not loaded yet");
      return loaded;
    },
  };
}
