export { name, sdl, createServer, type GovernanceDeps } from "./server.ts";
export { createGovernanceService, ROLES, PLATFORM_ADMIN, type GovernanceService, type Role } from "./governanceService.ts";
