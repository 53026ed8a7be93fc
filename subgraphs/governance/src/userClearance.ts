import type { Collection } from "mongodb";
import { z } from "zod";
import {
  appError,
  clearanceOf,
  defaultClearanceFor,
  ErrorCode,
  markingRank,
  parseId,
  requirePerson,
  TLP_MARKINGS,
  validateInput,
  type AuditHints,
  type Principal,
  type TlpMarking,
} from "@intelgraph/kit";
import { PLATFORM_ADMIN } from "@intelgraph/policies";
import type { UserRecord } from "./governanceRecords.ts";

const clearanceInput = z.object({
  clearance: z.enum(TLP_MARKINGS, { error: `one of ${TLP_MARKINGS.join(", ")}` }),
});

/** A user's clearance: the one an admin set, else their role default (ADMIN RED, others AMBER). */
export const userClearance = (user: Pick<UserRecord, "clearance" | "role" | "platformAdmin">): TlpMarking =>
  user.clearance ?? defaultClearanceFor(user.platformAdmin ? [user.role, PLATFORM_ADMIN] : [user.role]);

export interface UserClearanceDeps {
  users: Collection<UserRecord>;
}

/**
 * Who may see what in the graph. An admin sets a user's clearance up to their
 * own (never above it: nobody hands out more than they hold). The session JWT
 * carries the clearance (`clr`), so a change applies from the user's next
 * sign-in or session refresh (refreshSession re-reads the user); their API
 * tokens are held to it at their next use.
 */
export function createUserClearance({ users }: UserClearanceDeps) {
  return {
    async setUserClearance(principal: Principal, args: { userId: unknown; clearance: unknown }, hints: AuditHints): Promise<UserRecord> {
      const caller = requirePerson(principal, "set clearances");
      const id = parseId(args.userId, "userId");
      hints.targetIds = [id];
      const { clearance } = validateInput(clearanceInput, { clearance: args.clearance });
      const own = clearanceOf(caller);
      if (markingRank(clearance) > markingRank(own)) {
        throw appError(
          ErrorCode.FORBIDDEN,
          `You can grant clearance up to your own (${own}), not ${clearance}. Ask an admin cleared to ${clearance}.`,
          { argument: "clearance" },
        );
      }
      const user = await users.findOne({ _id: id, tenantId: caller.tenantId });
      if (!user) throw appError(ErrorCode.NOT_FOUND, `No user ${id} in your tenant.`, { argument: "userId" });
      await users.updateOne({ _id: id, tenantId: caller.tenantId }, { $set: { clearance } });
      return { ...user, clearance };
    },
  };
}
