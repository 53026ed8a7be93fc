import type { Db } from "mongodb";
import { z } from "zod";
import {
  appError,
  createTenantRepository,
  ErrorCode,
  isDuplicateKeyError,
  requireUser,
  systemClock,
  validateInput,
  type AuditHints,
  type Clock,
  type Principal,
  type TenantDocument,
} from "@intelgraph/kit";
import type { SealedSecret, SecretBox } from "@intelgraph/kit";

export interface ConnectorRecord extends TenantDocument {
  kind: "SERVICENOW";
  name: string;
  baseUrl: string;
  username: string | null;
  secret: { source: "ENCRYPTED"; sealed: SealedSecret } | { source: "REFERENCE"; ref: string };
  createdBy: string;
  createdAt: Date;
}

const allowInsecureHost = (url: URL) => url.hostname === "127.0.0.1" || url.hostname === "localhost";

const registerInput = z
  .object({
    kind: z.literal("SERVICENOW"),
    name: z.string().trim().min(1, "required").max(120),
    baseUrl: z
      .url({ error: "an absolute URL such as https://acme.service-now.com" })
      .refine((u) => {
        // zod still runs this after the URL check failed, so it must not throw.
        const url = URL.canParse(u) ? new URL(u) : null;
        return !url || url.protocol === "https:" || (url.protocol === "http:" && allowInsecureHost(url));
      }, "must use https:// (http:// only for localhost)")
      .transform((u) => u.replace(/\/+$/, "")),
    username: z.string().max(200).nullish(),
    secret: z.string().min(1).max(4096).nullish(),
    secretRef: z
      .string()
      .regex(/^[a-z][a-z0-9+.-]*:\/\/\S+$/, "a reference such as vault://servicenow/prod")
      .max(500)
      .nullish(),
  })
  .refine((i) => Boolean(i.secret) !== Boolean(i.secretRef), { message: "give exactly one of `secret` or `secretRef`", path: ["secret"] });

export interface ConnectorServiceDeps {
  db: Db;
  /** Seals secrets given in the clear. */
  secretBox: SecretBox;
  /**
   * The clock, in ms since the epoch, for record stamps.
   * @default systemClock
   */
  now?: Clock;
}

export function createConnectorService({ db, secretBox, now = systemClock }: ConnectorServiceDeps) {
  const repo = createTenantRepository<ConnectorRecord>(db, "connectors", {
    indexes: [{ key: { tenantId: 1, name: 1 }, unique: true, name: "tenant_name_unique" }],
  });
  return {
    ensureIndexes: () => repo.ensureIndexes(),

    async register(principal: Principal, args: { input: unknown }, hints: AuditHints): Promise<ConnectorRecord> {
      const caller = requireUser(principal);
      const input = validateInput(registerInput, args.input);
      const secret: ConnectorRecord["secret"] = input.secret
        ? { source: "ENCRYPTED", sealed: secretBox.seal(input.secret) }
        : { source: "REFERENCE", ref: input.secretRef! };
      try {
        const connector = await repo.forTenant(caller.tenantId).insertOne({
          kind: input.kind,
          name: input.name,
          baseUrl: input.baseUrl,
          username: input.username ?? null,
          secret,
          createdBy: caller.userId,
          createdAt: new Date(now()),
        });
        hints.targetIds = [connector._id];
        return connector;
      } catch (error) {
        if (isDuplicateKeyError(error)) {
          throw appError(ErrorCode.CONFLICT, `A connector named "${input.name}" already exists in this tenant.`, { field: "name" });
        }
        throw error;
      }
    },

    async list(principal: Principal) {
      const caller = requireUser(principal);
      return repo.forTenant(caller.tenantId).find({}, { sort: { createdAt: -1 } });
    },
  };
}

export type ConnectorService = ReturnType<typeof createConnectorService>;
