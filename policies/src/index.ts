export * from "./permissions.ts";
export * from "./operations.ts";
export * from "./decide.ts";
export * from "./protectSchema.ts";
export * from "./coverage.ts";
