import type { Collection } from "mongodb";
import {
  appError,
  ErrorCode,
  isSignedIn,
  issueSessionToken,
  type AuditHints,
  type Clock,
  type Principal,
  type SessionKeyring,
} from "@intelgraph/kit";
import { PLATFORM_ADMIN } from "@intelgraph/policies";
import { isActive, type TenantRecord, type UserRecord } from "./governanceRecords.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import type { RefreshTokenStore } from "./refreshTokens.ts";
import { userClearance } from "./userClearance.ts";

export interface SessionsDeps {
  tenants: Collection<TenantRecord>;
  users: Collection<UserRecord>;
  refreshTokens: RefreshTokenStore;
  /** Signs session tokens with its active key. */
  sessionKeys: SessionKeyring;
  sessionTtlSeconds: number;
  now: Clock;
}

const REFRESH_REFUSED = {
  invalid: "The refresh token is not valid.",
  expired: "The refresh token has expired.",
  revoked: "The refresh token has been revoked.",
  reused: "This refresh token was already used, so every session from that sign-in has been ended as a precaution.",
} as const;

/** Signing in (password, refresh token) and who is signed in. */
export function createSessions({ tenants, users, refreshTokens, sessionKeys, sessionTtlSeconds, now }: SessionsDeps) {
  /** A session JWT (roles, clearance and plan as of now: a refresh re-reads the user) plus a rotating refresh token. */
  async function sessionFor(user: UserRecord, familyId?: string) {
    const roles = user.platformAdmin ? [user.role, PLATFORM_ADMIN] : [user.role];
    const tenant = await tenants.findOne({ _id: user.tenantId });
    const { token, expiresAt } = await issueSessionToken(
      {
        sub: user._id,
        tid: user.tenantId,
        roles,
        clr: userClearance(user),
        ...(tenant ? { plan: tenant.plan } : {}),
      },
      sessionKeys,
      sessionTtlSeconds,
      now(),
    );
    const refresh = await refreshTokens.issue(user, familyId);
    return {
      token,
      expiresAt: expiresAt.toISOString(),
      refreshToken: refresh.token,
      refreshExpiresAt: refresh.expiresAt.toISOString(),
      user,
      tenant,
    };
  }

  return {
    /** Anyone may call it (the caller is anonymous until it succeeds). */
    async login(_principal: Principal, args: { email: string; password: string }, hints: AuditHints) {
      const email = String(args.email).trim().toLowerCase();
      const user = await users.findOne({ email });
      // Same work and the same answer whether or not the e-mail exists.
      const ok =
        user?.passwordHash && isActive(user)
          ? await verifyPassword(args.password, user.passwordHash)
          : (await hashPassword(args.password), false);
      if (user) {
        hints.tenantId = user.tenantId;
        hints.actorId = user._id;
        hints.targetIds = [user._id];
      }
      if (!user || !ok) {
        throw appError(
          ErrorCode.UNAUTHENTICATED,
          "E-mail or password is wrong. Check both, or ask your tenant admin to reset your password.",
        );
      }
      return sessionFor(user);
    },

    /** Trades a refresh token for a new session and a new refresh token; a reused one revokes its family. */
    async refreshSession(_principal: Principal, args: { refreshToken: string }, hints: AuditHints) {
      const redeemed = await refreshTokens.redeem(String(args.refreshToken));
      if (!redeemed.ok) {
        if (redeemed.reason !== "invalid") {
          hints.tenantId = redeemed.tenantId;
          hints.actorId = redeemed.userId;
          hints.targetIds = [redeemed.userId];
        }
        throw appError(ErrorCode.UNAUTHENTICATED, `${REFRESH_REFUSED[redeemed.reason]} Sign in again with \`login\`.`, {
          reason: redeemed.reason,
        });
      }
      hints.tenantId = redeemed.tenantId;
      hints.actorId = redeemed.userId;
      hints.targetIds = [redeemed.userId];
      const user = await users.findOne({ _id: redeemed.userId, tenantId: redeemed.tenantId });
      if (!user) throw appError(ErrorCode.UNAUTHENTICATED, "This account no longer exists.");
      if (!isActive(user)) throw appError(ErrorCode.UNAUTHENTICATED, "This account has been deactivated. Ask your tenant admin.");
      return sessionFor(user, redeemed.familyId);
    },

    async me(principal: Principal) {
      if (!isSignedIn(principal)) return null;
      return users.findOne({ _id: principal.userId, tenantId: principal.tenantId ?? "" });
    },
  };
}
