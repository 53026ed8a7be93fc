export { name, sdl, createServer, type GovernanceDeps } from "./server.ts";
export { createGovernanceService, type GovernanceService, type Role } from "./governanceService.ts";
export { createApiTokenVerifier, looksLikeApiToken, type ApiTokenVerifier } from "./apiTokens.ts";
