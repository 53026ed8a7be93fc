// Lint for the few rules that matter: package boundaries, floating promises, unused code.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", ".data/**", ".cache/**", "schema/**", "**/dist/**", "scripts/**/*.mjs", "clients/**/generated/**"] },
  {
    files: ["**/*.ts", "**/*.tsx"],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "off",
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["../../*/src/*", "../../../subgraphs/*", "**/subgraphs/*/src/**", "**/gateway/src/**"],
              message: "Import another workspace package by its name (@intelgraph/…), never by a path into its src/.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["subgraphs/*/src/**/*.ts"],
    ignores: ["subgraphs/kit/src/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "@intelgraph/gateway", message: "Subgraphs never import the gateway." },
            ...["graph", "audit", "governance", "billing", "playbooks", "connectors"].map((name) => ({
              name: `@intelgraph/subgraph-${name}`,
              message: "Subgraphs never import each other; share code through @intelgraph/kit.",
            })),
          ],
        },
      ],
    },
  },
);
