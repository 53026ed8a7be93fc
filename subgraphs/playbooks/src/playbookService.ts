import type { Db } from "mongodb";
import { z } from "zod";
import {
  appError,
  createTenantRepository,
  ErrorCode,
  isDuplicateKeyError,
  parseId,
  requireUser,
  systemClock,
  validateInput,
  type AuditHints,
  type Clock,
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

export interface PlaybookServiceDeps {
  db: Db;
  /**
   * The clock, in ms since the epoch, for record stamps.
   * @default systemClock
   */
  now?: Clock;
}

export function createPlaybookService({ db, now = systemClock }: PlaybookServiceDeps) {
  const repo = createTenantRepository<PlaybookRecord>(db, "playbooks", {
    indexes: [{ key: { tenantId: 1, name: 1 }, unique: true, name: "tenant_name_unique" }],
  });
  return {
    ensureIndexes: () => repo.ensureIndexes(),

    async create(principal: Principal, args: { input: unknown }, hints: AuditHints): Promise<PlaybookRecord> {
      const caller = requireUser(principal);
      const input = validateInput(createInput, args.input);
      const at = new Date(now());
      try {
        const playbook = await repo.forTenant(caller.tenantId).insertOne({
          name: input.name,
          description: input.description ?? null,
          steps: input.steps,
          ownerId: caller.userId,
          createdAt: at,
          updatedAt: at,
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

    async get(principal: Principal, args: { id: unknown }) {
      const caller = requireUser(principal);
      return repo.forTenant(caller.tenantId).findOne({ _id: parseId(args.id) });
    },
  };
}

export type PlaybookService = ReturnType<typeof createPlaybookService>;
