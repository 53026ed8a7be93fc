import type { Principal } from "@intelgraph/kit";

/** Per-request context inside the gateway. */
export interface GatewayContext {
  principal: Principal;
  requestId: string;
  /** The caller's address (socket peer). */
  ip?: string | undefined;
}
