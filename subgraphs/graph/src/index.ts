export { name, sdl, createServer, type GraphDeps } from "./server.ts";
export { ENTITY_LABELS } from "./graphSchema.ts";
