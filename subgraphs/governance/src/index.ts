export { name, sdl, createServer, type GovernanceDeps } from "./server.ts";
export { createGovernanceService, type GovernanceService } from "./governanceService.ts";
export type { Role } from "./governanceRecords.ts";
export { createApiTokenVerifier, looksLikeApiToken, type ApiTokenVerifier } from "./apiTokens.ts";
export { PLAN_LIMITS, effectiveLimits, createTenantLimitsReader, type TenantLimits, type TenantLimitsReader } from "./limits.ts";
export { createTokenAlerts, type TokenAlerts, DEFAULT_TOKEN_ALERT_RULES } from "./tokenAlerts.ts";
