export { name, sdl, createServer, type ConnectorsDeps } from "./server.ts";
