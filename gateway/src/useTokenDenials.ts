import type { ApolloServerPlugin } from "@apollo/server";
import { ErrorCode, type Logger } from "@intelgraph/kit";
import type { GatewayContext } from "./gatewayContext.ts";

/** Told about every request an API token made that was refused (FORBIDDEN), for the anomaly rules. */
export type OnTokenDenied = (token: { tokenId: string; tenantId: string }, ip: string | null, requestId: string) => Promise<unknown>;

/** Hands requests by API tokens that were refused to `onTokenDenied` (off the response path; a failure is logged). */
export function useTokenDenials(onTokenDenied: OnTokenDenied, logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const { principal, requestId, ip } = contextValue;
          if (principal.kind !== "token" || !principal.tokenId || !principal.tenantId) return;
          const errors = response.body.kind === "single" ? (response.body.singleResult.errors ?? []) : [];
          if (!errors.some((e) => e.extensions?.["code"] === ErrorCode.FORBIDDEN)) return;
          onTokenDenied({ tokenId: principal.tokenId, tenantId: principal.tenantId }, ip ?? null, requestId).catch((error: unknown) =>
            logger.error({ err: error }, "token denial not counted"),
          );
        },
      };
    },
  };
}
