import type { ApolloServerPlugin } from "@apollo/server";
import { isSignedIn, type Principal, type UsageKind, type UsageRecorder } from "@intelgraph/kit";
import type { GatewayContext } from "./gatewayContext.ts";

/** Counts one operation of `kind` for the principal's tenant; anonymous callers and operators are not metered. */
export function recordUsage(usage: UsageRecorder, principal: Principal, kind: UsageKind): void {
  if (isSignedIn(principal)) usage.record({ tenantId: principal.tenantId, kind });
}

/** Usage metering over HTTP: one usage event per operation of a signed-in tenant user (the WebSocket counts its subscriptions itself). */
export function useUsage(usage: UsageRecorder): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, contextValue }) {
          if (operation) recordUsage(usage, contextValue.principal, operation.operation);
        },
      };
    },
  };
}
