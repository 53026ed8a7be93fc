import type { Collection } from "mongodb";
import { appError, ErrorCode, isDuplicateKeyError, newId, type Clock } from "@intelgraph/kit";
import type { UserRecord } from "./governanceRecords.ts";
import type { ImportChange, PlannedWrite } from "./userImportPlan.ts";

export interface ApplyImportDeps {
  users: Collection<UserRecord>;
  revokeSessions: (userId: string) => Promise<void>;
  now: Clock;
}

/**
 * Makes a planned import's writes in the tenant: creates users (without a
 * password), sets changed fields, ends the sessions of users it deactivates.
 * Fills in the ids of created users in `changes`.
 */
export async function applyImport(deps: ApplyImportDeps, tenantId: string, writes: PlannedWrite[], changes: ImportChange[]) {
  const { users } = deps;
  const at = new Date(deps.now());
  for (const write of writes) {
    if (!write.user) {
      const record: UserRecord = {
        _id: newId(),
        tenantId,
        email: write.row.email,
        displayName: write.row.displayName,
        role: write.row.role,
        platformAdmin: false,
        passwordHash: null,
        active: write.row.active,
        externalId: write.row.externalId,
        source: "import",
        overrides: {},
        createdAt: at,
      };
      try {
        await users.insertOne(record);
      } catch (error) {
        // Someone took the address since the diff was computed: report it, the rest stands.
        if (!isDuplicateKeyError(error)) throw error;
        throw appError(
          ErrorCode.CONFLICT,
          `${write.row.email} was created by someone else during the import; run it again (it is idempotent).`,
          {
            email: write.row.email,
          },
        );
      }
      const change = changes.find((c) => c.action === "CREATE" && c.email === record.email);
      if (change) change.userId = record._id;
    } else if (Object.keys(write.$set).length) {
      await users.updateOne({ _id: write.user._id, tenantId }, { $set: write.$set });
      if (write.$set.active === false) await deps.revokeSessions(write.user._id);
    }
  }
}
