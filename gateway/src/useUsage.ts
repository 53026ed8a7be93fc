import type { ApolloServerPlugin } from "@apollo/server";
import { Kind, type OperationDefinitionNode } from "graphql";
import { isSignedIn, type BillingGuard, type Principal, type ResourceLedger, type UsageMetric, type UsageRecorder } from "@intelgraph/kit";
import type { GatewayContext } from "./gatewayContext.ts";
import { rootFieldOwners } from "./subscriptionRouting.ts";

/** Signing in and out: open to a tenant over its query or mutation quota, like every billing field (quotaExemptFields). */
const SESSION_FIELDS = ["login", "logout", "refreshSession", "me", "__typename"];

/**
 * Root fields a tenant over its query or mutation quota can still use, so a
 * blocked user can see what happened and upgrade: the session's, and every
 * Query and Mutation field the billing subgraph owns (read from the supergraph).
 */
export function quotaExemptFields(supergraphSdl: string): ReadonlySet<string> {
  const billing = (root: "Query" | "Mutation") =>
    [...rootFieldOwners(supergraphSdl, root)].filter(([, owner]) => owner === "billing").map(([field]) => field);
  return new Set([...SESSION_FIELDS, ...billing("Query"), ...billing("Mutation")]);
}

/** The client's `Idempotency-Key` header, when well formed: a retried request carrying it is metered once. */
export function idempotencyKeyOf(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[\w.:-]{8,128}$/.test(value) ? value : null;
}

/** The metering key of a request: the client's idempotency key, else our request id. */
export const meterKeyOf = (context: Pick<GatewayContext, "requestId" | "idempotencyKey">) =>
  context.idempotencyKey ? `idem:${context.idempotencyKey}` : `req:${context.requestId}`;

const OPERATION_METRIC = { query: "QUERIES", mutation: "MUTATIONS", subscription: "SUBSCRIPTIONS" } as const;

/** Meters one operation of the principal's tenant (with what else it measured); anonymous callers and operators are not metered. */
export function recordOperation(
  usage: UsageRecorder,
  principal: Principal,
  kind: keyof typeof OPERATION_METRIC,
  key: string,
  more: Partial<Record<UsageMetric, number>> = {},
): void {
  if (isSignedIn(principal)) usage.record({ tenantId: principal.tenantId, key, quantities: { [OPERATION_METRIC[kind]]: 1, ...more } });
}

/** Rows in a response: the items of each root list (or connection's nodes/edges), 1 for a root object. */
export function rowsOf(data: Record<string, unknown> | null | undefined): number {
  let rows = 0;
  for (const value of Object.values(data ?? {})) {
    if (Array.isArray(value)) rows += value.length;
    else if (value && typeof value === "object") {
      const page = value as { nodes?: unknown; edges?: unknown; rows?: unknown };
      const list = [page.nodes, page.edges, page.rows].find(Array.isArray) as unknown[] | undefined;
      rows += list ? list.length : 1;
    }
  }
  return rows;
}

const rootFields = (operation: OperationDefinitionNode) =>
  operation.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : "…"));

/**
 * Usage metering over HTTP: per operation of a signed-in tenant user, the
 * operation itself, the rows it returned and whether it failed, keyed by the
 * request (or the client's idempotency key). Before executing, the tenant's
 * query or mutation quota is checked (QUOTA_EXCEEDED) unless every root field
 * is one a blocked user needs to unblock (quotaExemptFields). The WebSocket meters
 * its subscriptions itself.
 */
export function useUsage(options: {
  usage: UsageRecorder;
  guard?: BillingGuard | undefined;
  resources?: ResourceLedger | undefined;
  /** Fields open over the quota (quotaExemptFields). */
  exempt: ReadonlySet<string>;
}): ApolloServerPlugin<GatewayContext> {
  const { usage, guard, resources, exempt } = options;
  return {
    async requestDidStart({ contextValue }) {
      // The request's CPU share goes to its tenant from here to the response (resourceLedger.ts).
      const end = resources && isSignedIn(contextValue.principal) ? resources.begin(contextValue.principal.tenantId) : null;
      return {
        async didResolveOperation({ operation, contextValue }) {
          const { principal } = contextValue;
          if (!guard || !operation || !isSignedIn(principal) || operation.operation === "subscription") return;
          if (rootFields(operation).every((field) => exempt.has(field))) return;
          await guard.check(principal.tenantId, OPERATION_METRIC[operation.operation]);
        },
        async willSendResponse({ operation, contextValue, response }) {
          end?.();
          const { principal } = contextValue;
          if (!operation || !isSignedIn(principal)) return;
          // One event per request: the operation, its rows and whether it failed.
          const single = response.body.kind === "single" ? response.body.singleResult : null;
          recordOperation(usage, principal, operation.operation, meterKeyOf(contextValue), {
            ROWS_RETURNED: rowsOf(single?.data),
            FAILED_OPERATIONS: single?.errors?.length ? 1 : 0,
          });
        },
      };
    },
  };
}
