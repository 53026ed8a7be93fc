import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

// One graphql instance: Vite would otherwise load graphql's ESM build for our code
// while CommonJS dependencies (@neo4j/graphql, Apollo) load its CJS build.
const graphqlCjs = createRequire(new URL("./subgraphs/kit/package.json", import.meta.url)).resolve("graphql");

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlCjs }] },
  test: {
    // @apollo/gateway reads this from the environment alone; main.ts sets it for `npm start`.
    env: { APOLLO_TELEMETRY_DISABLED: "true" },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["{gateway,subgraphs/*,policies,clients/*}/src/**/*.test.ts"],
          environment: "node",
          setupFiles: ["test/support/failOnErrorLogs.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/support/globalSetup.ts"],
          // An unexpected console.error or error log fails the test (allowErrorLogs for expected ones).
          setupFiles: ["test/support/failOnErrorLogs.ts"],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // The analyst console in headless Chromium against a real platform (clients/web/README.md, under Commands).
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/support/globalSetup.ts", "test/e2e/globalSetup.ts"],
          setupFiles: ["test/support/failOnErrorLogs.ts"],
          testTimeout: 90_000,
          hookTimeout: 240_000,
          // A page on a cold platform (fresh clone, first queries) can take seconds: poll longer than the 1 s default.
          expect: { poll: { timeout: 15_000, interval: 100 } },
          fileParallelism: false,
          // Not beside unit tests: a browser and a platform compete for the same two cores (integration, single-file, runs last).
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
