import { CloseCode, systemClock, type Clock, type Logger } from "@intelgraph/kit";
import type { Authenticator } from "./authenticate.ts";

/** Node's timers overflow past 2^31-1 ms (~24.8 days) and would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface ClosableSocket {
  close(code: number, reason: string): void;
  once(event: "close", listener: () => void): unknown;
}

export interface SocketSessionOptions {
  authenticate: Authenticator;
  /** The connection's `authorization` parameter, re-checked over the socket's life. */
  authorization: string | undefined;
  ip: string | undefined;
  expiresAt: Date | null;
  socket: ClosableSocket;
  logger: Logger;
  /**
   * How often the credential is checked again (revocation, removed roles).
   * @default 60_000
   */
  recheckMs?: number;
  /** @default systemClock */
  now?: Clock;
}

/**
 * Keeps a WebSocket no longer alive than the credential that opened it:
 * closes with `CloseCode.SessionExpired` (4401) when the session or token
 * expires, and with `CloseCode.CredentialRevoked` (4403) when a periodic
 * re-check finds the credential revoked or no longer valid.
 */
export function watchSocketSession({
  authenticate,
  authorization,
  ip,
  expiresAt,
  socket,
  logger,
  recheckMs = 60_000,
  now = systemClock,
}: SocketSessionOptions) {
  let expiryTimer: NodeJS.Timeout | undefined;
  const armExpiry = () => {
    if (!expiresAt) return;
    const delay = expiresAt.getTime() - now();
    if (delay <= 0) return socket.close(CloseCode.SessionExpired, "Session expired: sign in again and reconnect");
    expiryTimer = setTimeout(armExpiry, Math.min(delay, MAX_TIMER_MS));
    expiryTimer.unref();
  };
  armExpiry();

  const recheck = setInterval(() => {
    if (!authorization) return;
    authenticate(authorization, ip).catch((error: Error) => {
      logger.info({ reason: error.message }, "closing a WebSocket whose credential is no longer valid");
      socket.close(CloseCode.CredentialRevoked, error.message.slice(0, 120));
    });
  }, recheckMs);
  recheck.unref();

  socket.once("close", () => {
    clearTimeout(expiryTimer);
    clearInterval(recheck);
  });
}
