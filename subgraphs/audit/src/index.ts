export { name, sdl, createServer } from "./server.ts";
export { createChainService, AUDIT_MIN_RETENTION_DAYS, AUDIT_RETENTION_POLICY_ID, type ChainService } from "./chainService.ts";
