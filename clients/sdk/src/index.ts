export { createIntelGraphClient, type IntelGraphClient, type IntelGraphClientOptions } from "./createIntelGraphClient.ts";
export { IntelGraphError, type IntelGraphErrorCode } from "./intelGraphError.ts";
export * from "./generated/graphql.ts";
export { CloseCode, ErrorCode, SESSION_CLOSE_CODES } from "./generated/codes.ts";
