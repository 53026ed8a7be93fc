import type { ExecutionResult } from "graphql";

export interface SubgraphRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  /** Lower-case header names; must include the signed principal. */
  headers: Record<string, string>;
}

/**
 * How the gateway reaches one subgraph: in-process in all-in-one mode, over
 * HTTP and graphql-ws in split mode. Both go through the same principal check.
 */
export interface SubgraphTransport {
  readonly name: string;
  execute(request: SubgraphRequest): Promise<ExecutionResult>;
  subscribe(request: SubgraphRequest): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult>;
}
