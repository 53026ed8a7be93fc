import type { Db } from "mongodb";
import { z } from "zod";
import {
  appError,
  createTenantRepository,
  ErrorCode,
  isDuplicateKeyError,
  parseId,
  requireUser,
  validateInput,
  type AuditHints,
  type Principal,
  type TenantDocument,
} from "@intelgraph/kit";

export interface PlaybookRecord extends TenantDocument {
  name: string;
  description: string | null;
  steps: Array<Record<string, unknown>>;
  ownerId: string;
  createdAt: Date;
  updatedAt: Date;
}

const step = z.looseObject({ action: z.string().min(1, "every step needs an `action`").max(100) });
const createInput = z.object({
  name: z.string().trim().min(1, "required").max(120),
  description: z.string().max(2000).nullish(),
  steps: z.array(step, { error: "a list of step objects" }).min(1, "at least one step").max(100, "at most 100 steps"),
});

export function createPlaybookService(deps: { db: Db }) {
  const repo = createTenantRepository<PlaybookRecord>(deps.db, "playbooks", {
    indexes: [{ key: { tenantId: 1, name: 1 }, unique: true, name: "tenant_name_unique" }],
  });
  return {
    ensureIndexes: () => repo.ensureIndexes(),

    async create(principal: Principal, rawInput: unknown, hints: AuditHints): Promise<PlaybookRecord> {
      const caller = requireUser(principal);
      const input = validateInput(createInput, rawInput);
      const now = new Date();
      try {
        const playbook = await repo.forTenant(caller.tenantId).insertOne({
          name: input.name,
          description: input.description ?? null,
          steps: input.steps,
          ownerId: caller.userId,
          createdAt: now,
          updatedAt: now,
        });
        hints.targetIds = [playbook._id];
        return playbook;
      } catch (error) {
        if (isDuplicateKeyError(error)) {
          throw appError(ErrorCode.CONFLICT, `A playbook named "${input.name}" already exists in this tenant. Pick another name.`, {
            field: "name",
          });
        }
        throw error;
      }
    },

    async list(principal: Principal) {
      const caller = requireUser(principal);
      return repo.forTenant(caller.tenantId).find({}, { sort: { createdAt: -1 } });
    },

    async get(principal: Principal, id: unknown) {
      const caller = requireUser(principal);
      return repo.forTenant(caller.tenantId).findOne({ _id: parseId(id) });
    },
  };
}

export type PlaybookService = ReturnType<typeof createPlaybookService>;
