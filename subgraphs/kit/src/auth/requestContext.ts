import type { Logger } from "../observability/logger.ts";
import type { Principal } from "./principal.ts";

/**
 * Facts a service may add about a mutation so its audit event names the right
 * tenant and target (e.g. `login`, where nobody is signed in yet).
 */
export interface AuditHints {
  tenantId?: string;
  actorId?: string;
  targetType?: string;
  targetIds?: string[];
}

/** Per-request context every subgraph resolver receives. */
export interface RequestContext {
  principal: Principal;
  requestId: string;
  logger: Logger;
  auditHints: AuditHints;
}
