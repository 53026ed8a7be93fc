export { name, sdl, createServer } from "./server.ts";
