export { name, sdl, createServer, type PlaybooksServer, type PlaybooksServerDeps } from "./server.ts";
