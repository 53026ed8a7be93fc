import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { ANONYMOUS, PRINCIPAL_HEADER, REQUEST_ID_HEADER, signPrincipal, type SubgraphTransport } from "@intelgraph/kit";
import type { GatewayContext } from "./gatewayContext.ts";

/**
 * Sends each subgraph fetch of a query plan through a transport, with the
 * caller's principal signed for this request.
 */
export class TransportDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    private readonly transport: SubgraphTransport,
    private readonly principalKey: string,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const context = "context" in options ? (options.context as Partial<GatewayContext> | undefined) : undefined;
    const principal = context?.principal ?? ANONYMOUS;
    const requestId = context?.requestId ?? "internal";
    const result = await this.transport.execute({
      query: options.request.query ?? "",
      variables: options.request.variables ?? null,
      operationName: options.request.operationName ?? null,
      headers: { [PRINCIPAL_HEADER]: signPrincipal(principal, requestId, this.principalKey), [REQUEST_ID_HEADER]: requestId },
    });
    return result as Awaited<ReturnType<GraphQLDataSource["process"]>>;
  }
}
