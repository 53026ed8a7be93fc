import type { Principal } from "@intelgraph/kit";

/** Per-request context inside the gateway. */
export interface GatewayContext {
  principal: Principal;
  requestId: string;
  /** The client's Idempotency-Key header, when well formed: metering counts a retried request once. */
  idempotencyKey?: string | null;
  /** The caller's address (socket peer). */
  ip?: string | undefined;
}
