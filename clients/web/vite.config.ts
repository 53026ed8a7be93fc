import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

// The console is served by the gateway from dist/ at `/`; in development Vite
// serves it and forwards the API (HTTP and graphql-ws) and upload URLs to a
// running platform (`npm start`, or VITE_API_TARGET).
const api = process.env["VITE_API_TARGET"] ?? "http://127.0.0.1:4000";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [solid()],
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: true },
  server: {
    proxy: {
      "/exports": { target: api, changeOrigin: true },
      "/graphql": { target: api, ws: true, changeOrigin: true },
      "/uploads": { target: api, changeOrigin: true },
    },
  },
});
