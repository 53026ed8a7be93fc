/**
 * WebSocket close codes the gateway sends besides graphql-ws's own (which
 * shares 4401 and 4403 with the same meaning), one list for server and
 * clients: the SDK and the console get it by codegen (`generated/codes.ts`).
 */
export const CloseCode = {
  /** The session or API token that opened the socket expired: sign in again and reconnect. */
  SessionExpired: 4401,
  /** A re-check found the credential revoked or no longer valid: sign in again. */
  CredentialRevoked: 4403,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which a client must sign in again instead of reconnecting. */
export const SESSION_CLOSE_CODES: readonly CloseCode[] = [CloseCode.SessionExpired, CloseCode.CredentialRevoked];
