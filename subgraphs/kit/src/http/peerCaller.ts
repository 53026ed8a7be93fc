import { randomUUID } from "node:crypto";
import type { GraphQLFormattedError } from "graphql";
import { PRINCIPAL_HEADER, REQUEST_ID_HEADER, signPrincipal, type Principal } from "../auth/principal.ts";
import { appError, ErrorCode } from "../errors/errors.ts";
import type { SubgraphTransport } from "./subgraphTransport.ts";

export interface PeerRequest {
  query: string;
  variables?: Record<string, unknown>;
  /** Carried as the request id of the call (audit events name it); a fresh one when omitted. */
  requestId?: string;
}

/**
 * Lets one service run an operation on another subgraph *as a principal*: the
 * call carries a freshly signed principal header, so the callee applies the
 * same policies (graphql-shield), tenant scoping and audit as for a gateway
 * request. Playbook steps and connector syncs go through here; nothing may
 * call a peer with a principal it did not get from a verified request or a
 * stored, audited grant (a playbook schedule's approver-checked run-as).
 */
export interface PeerCaller {
  /** Runs `request` on `subgraph`; returns its `data`, or throws its first error (code and message kept). */
  call<T = Record<string, unknown>>(subgraph: string, principal: Principal, request: PeerRequest): Promise<T>;
}

/** Error extensions that may be passed on from a peer to our caller. */
function rethrow(subgraph: string, error: GraphQLFormattedError): never {
  const extensions = { ...(error.extensions ?? {}) };
  const code = typeof extensions["code"] === "string" ? (extensions["code"] as ErrorCode) : ErrorCode.INTERNAL_SERVER_ERROR;
  delete extensions["code"];
  delete extensions["stacktrace"];
  throw appError(code, error.message, { ...extensions, subgraph });
}

/**
 * `transportFor` is resolved per call, so a composition root can build its
 * services first and bind the transports afterwards (all-in-one mode serves
 * the subgraphs in-process; split mode reaches them over loopback HTTP).
 */
export function createPeerCaller(options: {
  principalKey: string;
  transportFor: (subgraph: string) => SubgraphTransport | undefined;
}): PeerCaller {
  return {
    async call<T>(subgraph: string, principal: Principal, request: PeerRequest): Promise<T> {
      const transport = options.transportFor(subgraph);
      if (!transport) throw appError(ErrorCode.UPSTREAM_UNAVAILABLE, `The ${subgraph} service is not reachable from here.`, { subgraph });
      const requestId = request.requestId ?? randomUUID();
      let result;
      try {
        result = await transport.execute({
          query: request.query,
          variables: request.variables ?? null,
          headers: { [PRINCIPAL_HEADER]: signPrincipal(principal, requestId, options.principalKey), [REQUEST_ID_HEADER]: requestId },
        });
      } catch (error) {
        throw appError(ErrorCode.UPSTREAM_UNAVAILABLE, `The ${subgraph} service did not answer: ${(error as Error).message}`, { subgraph });
      }
      const first = result.errors?.[0];
      if (first) rethrow(subgraph, first as GraphQLFormattedError);
      if (!result.data) throw appError(ErrorCode.INTERNAL_SERVER_ERROR, `The ${subgraph} service answered without data.`, { subgraph });
      return result.data as T;
    },
  };
}
