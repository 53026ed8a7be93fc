export { name, sdl, createServer, type AuditDeps } from "./server.ts";
export { createChainService, type ChainService, type ChainServiceDeps } from "./chainService.ts";
export { AUDIT_MIN_RETENTION_DAYS, AUDIT_RETENTION_POLICY_ID } from "./auditRetention.ts";
