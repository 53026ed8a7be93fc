export { createIntelGraphClient, type IntelGraphClient, type IntelGraphClientOptions } from "./createIntelGraphClient.ts";
export { IntelGraphError } from "./intelGraphError.ts";
export * from "./generated/graphql.ts";
