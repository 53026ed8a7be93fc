import type { Collection } from "mongodb";
import { z } from "zod";
import {
  appError,
  ErrorCode,
  isDuplicateKeyError,
  newId,
  parseId,
  requirePerson,
  requireUser,
  validateInput,
  type AuditHints,
  type Clock,
  type Principal,
} from "@intelgraph/kit";
import { PLATFORM_ADMIN, TENANT_ROLES } from "@intelgraph/policies";
import type { TenantRecord, UserRecord } from "./governanceRecords.ts";
import { hashPassword } from "./passwords.ts";
import type { RefreshTokenStore } from "./refreshTokens.ts";

export const createUserInput = z.object({
  email: z.email("a valid e-mail address").transform((e) => e.toLowerCase()),
  password: z.string().min(12, "at least 12 characters").max(200),
  displayName: z.string().trim().max(100).optional().nullable(),
  role: z.enum(TENANT_ROLES),
  tenantId: z.string().optional().nullable(),
});

const updateUserInput = z.object({
  role: z.enum(TENANT_ROLES).nullish(),
  displayName: z.string().trim().max(100).nullish(),
  active: z.boolean().nullish(),
  reason: z.string().trim().min(3, "say why (at least 3 characters)").max(500),
  releaseOverrides: z.array(z.enum(["ROLE", "DISPLAY_NAME", "ACTIVE"])).nullish(),
});

const FIELD_OF = { ROLE: "role", DISPLAY_NAME: "displayName", ACTIVE: "active" } as const;

/** Stores a new user with a password; a taken e-mail address is a CONFLICT. */
export async function insertUser(
  { users, now }: { users: Collection<UserRecord>; now: Clock },
  input: z.output<typeof createUserInput>,
  tenantId: string,
  platformAdmin = false,
) {
  const user: UserRecord = {
    _id: newId(),
    tenantId,
    email: input.email,
    displayName: input.displayName ?? null,
    role: input.role,
    platformAdmin,
    passwordHash: await hashPassword(input.password),
    active: true,
    source: "manual",
    createdAt: new Date(now()),
  };
  try {
    await users.insertOne(user);
  } catch (error) {
    if (isDuplicateKeyError(error)) {
      throw appError(ErrorCode.CONFLICT, `A user with e-mail ${input.email} already exists. Use another address, or sign in.`, {
        field: "email",
      });
    }
    throw error;
  }
  return user;
}

export interface UsersDeps {
  tenants: Collection<TenantRecord>;
  users: Collection<UserRecord>;
  refreshTokens: RefreshTokenStore;
  now: Clock;
}

/** A tenant's users: created and changed by its admins, read within the tenant. */
export function createUsers(deps: UsersDeps) {
  const { tenants, users, refreshTokens, now } = deps;
  return {
    async createUser(principal: Principal, args: { input: unknown }, hints: AuditHints): Promise<UserRecord> {
      const caller = requirePerson(principal, "create users");
      const input = validateInput(createUserInput, args.input);
      const isPlatformAdmin = caller.roles.includes(PLATFORM_ADMIN);
      let tenantId = caller.tenantId;
      if (input.tenantId) {
        const requested = parseId(input.tenantId, "input.tenantId");
        if (requested !== caller.tenantId && !isPlatformAdmin) {
          throw appError(ErrorCode.FORBIDDEN, "You can only create users in your own tenant.");
        }
        tenantId = requested;
      }
      if (!(await tenants.findOne({ _id: tenantId }))) {
        throw appError(ErrorCode.NOT_FOUND, `No tenant with id ${tenantId}.`, { argument: "input.tenantId" });
      }
      const user = await insertUser(deps, input, tenantId);
      hints.tenantId = tenantId;
      hints.targetIds = [user._id];
      return user;
    },

    async listUsers(principal: Principal) {
      const caller = requireUser(principal);
      return users.find({ tenantId: caller.tenantId }).sort({ createdAt: 1 }).toArray();
    },

    async userById(principal: Principal, { id }: { id: string }) {
      const caller = requireUser(principal);
      return users.findOne({ _id: id, tenantId: caller.tenantId });
    },

    /** A tenant admin's change to a user: pins each changed field against imports until released. */
    async updateUser(principal: Principal, args: { id: unknown; input: unknown }, hints: AuditHints): Promise<UserRecord> {
      const caller = requirePerson(principal, "change users");
      const id = parseId(args.id);
      hints.targetIds = [id];
      const input = validateInput(updateUserInput, args.input);
      const user = await users.findOne({ _id: id, tenantId: caller.tenantId });
      if (!user) throw appError(ErrorCode.NOT_FOUND, `No user ${id} in your tenant.`, { argument: "id" });
      if (id === caller.userId && ((input.role && input.role !== "ADMIN") || input.active === false)) {
        throw appError(ErrorCode.BAD_USER_INPUT, "You cannot demote or deactivate yourself; ask another admin.", { argument: "id" });
      }
      const $set: Record<string, unknown> = {};
      const $unset: Record<string, ""> = {};
      const stamp = { reason: input.reason, setBy: caller.userId, setAt: new Date(now()) };
      for (const [field, value] of [
        ["role", input.role],
        ["displayName", input.displayName],
        ["active", input.active],
      ] as const) {
        if (value === undefined || value === null) continue;
        $set[field] = value;
        $set[`overrides.${field}`] = { value, ...stamp };
      }
      for (const released of input.releaseOverrides ?? []) $unset[`overrides.${FIELD_OF[released]}`] = "";
      if (!Object.keys($set).length && !Object.keys($unset).length) {
        throw appError(ErrorCode.BAD_USER_INPUT, "Nothing to change: give role, displayName, active or releaseOverrides.");
      }
      await users.updateOne(
        { _id: id, tenantId: caller.tenantId },
        { ...(Object.keys($set).length ? { $set } : {}), ...(Object.keys($unset).length ? { $unset } : {}) },
      );
      if (input.active === false) await refreshTokens.revokeUser(id);
      return (await users.findOne({ _id: id, tenantId: caller.tenantId }))!;
    },

    /** Sets a user's password (tenant admins), e.g. for users an import created without one. */
    async setUserPassword(principal: Principal, args: { id: unknown; password: unknown }, hints: AuditHints): Promise<UserRecord> {
      const caller = requirePerson(principal, "set passwords");
      const id = parseId(args.id);
      const { password } = validateInput(z.object({ password: createUserInput.shape.password }), { password: args.password });
      hints.targetIds = [id];
      const user = await users.findOne({ _id: id, tenantId: caller.tenantId });
      if (!user) throw appError(ErrorCode.NOT_FOUND, `No user ${id} in your tenant.`, { argument: "id" });
      const passwordHash = await hashPassword(password);
      await users.updateOne({ _id: id, tenantId: caller.tenantId }, { $set: { passwordHash } });
      // Sessions from before the change keep working until they expire; refresh tokens are revoked.
      await refreshTokens.revokeUser(id);
      return { ...user, passwordHash };
    },
  };
}
