import type { Db } from "mongodb";
import { z } from "zod";
import {
  appError,
  clearanceOf,
  createTenantRepository,
  ErrorCode,
  markingRank,
  parseId,
  requirePerson,
  validateInput,
  systemClock,
  TLP_MARKINGS,
  type AuditHints,
  type Clock,
  type Principal,
} from "@intelgraph/kit";
import { PERMISSIONS, permissionsOf } from "@intelgraph/policies";
import { API_TOKENS, generateApiToken, type ApiTokenRecord } from "./apiTokens.ts";

const MAX_LIFETIME_MS = 366 * 86_400_000;

const createInput = z.object({
  name: z.string().trim().min(1, "required").max(100),
  scopes: z.array(z.enum(PERMISSIONS, { error: `one of ${PERMISSIONS.join(", ")}` })).min(1, "at least one scope"),
  expiresAt: z.iso.datetime({ offset: true, error: "an ISO-8601 date-time such as 2027-01-31T00:00:00Z" }).nullish(),
  clearance: z.enum(TLP_MARKINGS, { error: `one of ${TLP_MARKINGS.join(", ")}` }).nullish(),
});

export interface ApiTokenServiceDeps {
  db: Db;
  /**
   * The clock, in ms since the epoch.
   * @default systemClock
   */
  now?: Clock;
}

export function createApiTokenService({ db, now = systemClock }: ApiTokenServiceDeps) {
  const tokens = createTenantRepository<ApiTokenRecord>(db, API_TOKENS, {
    indexes: [{ key: { tenantId: 1, userId: 1 }, name: "tenant_user" }],
  });

  return {
    ensureIndexes: () => tokens.ensureIndexes(),

    /**
     * Mints a token for the caller with scopes they hold and at most their clearance;
     * the secret is returned once, only its hash is kept.
     */
    async create(principal: Principal, args: { input: unknown }, hints: AuditHints) {
      const caller = requirePerson(principal, "create API tokens");
      const input = validateInput(createInput, args.input);
      const held = permissionsOf(caller.roles);
      const beyond = input.scopes.filter((scope) => !held.has(scope));
      if (beyond.length) {
        throw appError(ErrorCode.FORBIDDEN, `A token cannot hold more than you may do: your roles do not grant ${beyond.join(", ")}.`, {
          scopes: beyond,
        });
      }
      const own = clearanceOf(caller);
      if (input.clearance && markingRank(input.clearance) > markingRank(own)) {
        throw appError(ErrorCode.BAD_USER_INPUT, `A token cannot see more than you: your clearance is ${own}, not ${input.clearance}.`, {
          problems: [{ path: "input.clearance", message: `at most your own clearance (${own})` }],
        });
      }
      const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
      if (expiresAt && (expiresAt.getTime() <= now() || expiresAt.getTime() - now() > MAX_LIFETIME_MS)) {
        throw appError(ErrorCode.BAD_USER_INPUT, "`expiresAt` must be in the future and at most a year away.", {
          argument: "input.expiresAt",
        });
      }
      const minted = generateApiToken();
      const record: ApiTokenRecord = {
        _id: minted.id,
        tenantId: caller.tenantId,
        userId: caller.userId,
        name: input.name,
        scopes: [...new Set(input.scopes)],
        secretHash: minted.secretHash,
        prefix: minted.prefix,
        createdAt: new Date(now()),
        expiresAt,
        revokedAt: null,
        lastUsedAt: null,
        lastUsedIp: null,
        ...(input.clearance ? { clearance: input.clearance } : {}),
      };
      await tokens.forTenant(caller.tenantId).insertOne(record);
      hints.targetIds = [record._id];
      return { token: minted.token, record };
    },

    /** The caller's own tokens; with users:manage, every token of the tenant. */
    async list(principal: Principal) {
      const caller = requirePerson(principal, "list API tokens");
      const all = permissionsOf(caller.roles).has("users:manage");
      return tokens.forTenant(caller.tenantId).find(all ? {} : { userId: caller.userId }, { sort: { createdAt: -1 } });
    },

    async revoke(principal: Principal, args: { id: unknown }, hints: AuditHints) {
      const caller = requirePerson(principal, "revoke API tokens");
      const id = parseId(args.id);
      const mine = tokens.forTenant(caller.tenantId);
      const record = await mine.findOne({ _id: id });
      const mayRevokeOthers = permissionsOf(caller.roles).has("users:manage");
      if (!record || (record.userId !== caller.userId && !mayRevokeOthers)) {
        throw appError(ErrorCode.NOT_FOUND, `No API token ${id} that you may revoke.`, { argument: "id" });
      }
      hints.targetIds = [id];
      if (!record.revokedAt) {
        record.revokedAt = new Date(now());
        await mine.updateOne({ _id: id }, { $set: { revokedAt: record.revokedAt } });
      }
      return record;
    },
  };
}

export type ApiTokenService = ReturnType<typeof createApiTokenService>;
