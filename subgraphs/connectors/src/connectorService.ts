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
import {
  DEFAULT_MAPPING,
  DEFAULT_RATE_LIMIT,
  DEFAULT_REPLAY,
  DEFAULT_SYNC,
  mappingInput,
  mergeMapping,
  mergeReplay,
  rateLimitInput,
  replayInput,
  syncInput,
  type AuthKind,
  type ConnectorMapping,
  type RateLimit,
  type ReplayPolicy,
  type SyncSettings,
} from "./connectorConfig.ts";

export interface ConnectorRecord extends TenantDocument {
  kind: "SERVICENOW";
  name: string;
  baseUrl: string;
  /** Absent on connectors registered before auth kinds existed: BASIC. */
  authKind?: AuthKind;
  username: string | null;
  clientId?: string | null;
  secret: { source: "ENCRYPTED"; sealed: SealedSecret } | { source: "REFERENCE"; ref: string };
  mapping?: ConnectorMapping;
  rateLimit?: RateLimit;
  replay?: ReplayPolicy;
  sync?: SyncSettings;
  createdBy: string;
  createdAt: Date;
  updatedAt?: Date;
}

/** A record with every optional setting filled with its default. */
export type Connector = ConnectorRecord & {
  authKind: AuthKind;
  clientId: string | null;
  mapping: ConnectorMapping;
  rateLimit: RateLimit;
  replay: ReplayPolicy;
  sync: SyncSettings;
};

export const withDefaults = (c: ConnectorRecord): Connector => ({
  ...c,
  authKind: c.authKind ?? "BASIC",
  clientId: c.clientId ?? null,
  mapping: { ...DEFAULT_MAPPING, ...c.mapping },
  rateLimit: { ...DEFAULT_RATE_LIMIT, ...c.rateLimit },
  replay: { ...DEFAULT_REPLAY, ...c.replay },
  sync: { ...DEFAULT_SYNC, ...c.sync },
});

const allowInsecureHost = (url: URL) => url.hostname === "127.0.0.1" || url.hostname === "localhost";

const baseUrl = z
  .url({ error: "an absolute URL such as https://acme.service-now.com" })
  .refine((u) => {
    // zod still runs this after the URL check failed, so it must not throw.
    const url = URL.canParse(u) ? new URL(u) : null;
    return !url || url.protocol === "https:" || (url.protocol === "http:" && allowInsecureHost(url));
  }, "must use https:// (http:// only for localhost)")
  .transform((u) => u.replace(/\/+$/, ""));
const secretRef = z
  .string()
  .regex(/^[a-z][a-z0-9+.-]*:\/\/\S+$/, "a reference such as vault://servicenow/prod")
  .max(500)
  .nullish();
const authKind = z.enum(["BASIC", "OAUTH_CLIENT_CREDENTIALS"]);
const name = z.string().trim().min(1, "required").max(120);
const principalName = z.string().trim().min(1).max(200).nullish();

const registerInput = z
  .object({
    kind: z.literal("SERVICENOW"),
    name,
    baseUrl,
    authKind: authKind.nullish(),
    username: z.string().max(200).nullish(),
    clientId: principalName,
    secret: z.string().min(1).max(4096).nullish(),
    secretRef,
    mapping: mappingInput.nullish(),
    rateLimit: rateLimitInput.nullish(),
    replay: replayInput.nullish(),
  })
  .refine((i) => Boolean(i.secret) !== Boolean(i.secretRef), { message: "give exactly one of `secret` or `secretRef`", path: ["secret"] })
  .refine((i) => i.authKind !== "OAUTH_CLIENT_CREDENTIALS" || Boolean(i.clientId), {
    message: "OAUTH_CLIENT_CREDENTIALS needs the OAuth application's clientId",
    path: ["clientId"],
  });

const updateInput = z
  .object({
    name: name.nullish(),
    baseUrl: baseUrl.nullish(),
    authKind: authKind.nullish(),
    username: z.string().max(200).nullish(),
    clientId: principalName,
    secret: z.string().min(1).max(4096).nullish(),
    secretRef,
    mapping: mappingInput.nullish(),
    rateLimit: rateLimitInput.nullish(),
    replay: replayInput.nullish(),
    sync: syncInput.nullish(),
  })
  .refine((i) => !(i.secret && i.secretRef), { message: "give at most one of `secret` or `secretRef`", path: ["secret"] });

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

export const CONNECTORS = "connectors";

export function createConnectorService({ db, secretBox, now = systemClock }: ConnectorServiceDeps) {
  const repo = createTenantRepository<ConnectorRecord>(db, CONNECTORS, {
    indexes: [{ key: { tenantId: 1, name: 1 }, unique: true, name: "tenant_name_unique" }],
  });
  const sealed = (input: { secret?: string | null; secretRef?: string | null }): ConnectorRecord["secret"] | undefined =>
    input.secret
      ? { source: "ENCRYPTED", sealed: secretBox.seal(input.secret) }
      : input.secretRef
        ? { source: "REFERENCE", ref: input.secretRef }
        : undefined;
  const conflict = (name: string) =>
    appError(ErrorCode.CONFLICT, `A connector named "${name}" already exists in this tenant.`, { field: "name" });

  async function get(principal: Principal, id: string): Promise<Connector> {
    const caller = requireUser(principal);
    const found = await repo.forTenant(caller.tenantId).findOne({ _id: id });
    if (!found) throw appError(ErrorCode.NOT_FOUND, `No connector ${id} in your tenant.`, { id });
    return withDefaults(found);
  }

  return {
    ensureIndexes: () => repo.ensureIndexes(),
    get,
    /** For the tenant's own jobs (scheduled sync, replay): the connector by tenant and id, or null. */
    byTenant: async (tenantId: string, id: string) => {
      const found = await repo.forTenant(tenantId).findOne({ _id: id });
      return found && withDefaults(found);
    },
    /** Secrets are opened here and in the client only. */
    secretOf(connector: ConnectorRecord): string {
      if (connector.secret.source === "REFERENCE") {
        throw appError(
          ErrorCode.UPSTREAM_UNAVAILABLE,
          `The connector's secret is a reference (${connector.secret.ref}); no secret manager is configured to resolve it.`,
        );
      }
      return secretBox.open(connector.secret.sealed);
    },

    async register(principal: Principal, args: { input: unknown }, hints: AuditHints): Promise<Connector> {
      const caller = requireUser(principal);
      const input = validateInput(registerInput, args.input);
      try {
        const connector = await repo.forTenant(caller.tenantId).insertOne({
          kind: input.kind,
          name: input.name,
          baseUrl: input.baseUrl,
          authKind: input.authKind ?? "BASIC",
          username: input.username ?? null,
          clientId: input.clientId ?? null,
          secret: sealed(input)!,
          mapping: mergeMapping(DEFAULT_MAPPING, input.mapping),
          rateLimit: input.rateLimit ?? DEFAULT_RATE_LIMIT,
          replay: mergeReplay(DEFAULT_REPLAY, input.replay),
          sync: DEFAULT_SYNC,
          createdBy: caller.userId,
          createdAt: new Date(now()),
        });
        hints.targetIds = [connector._id];
        return withDefaults(connector);
      } catch (error) {
        if (isDuplicateKeyError(error)) throw conflict(input.name);
        throw error;
      }
    },

    async update(principal: Principal, args: { id: string; input: unknown }, hints: AuditHints): Promise<Connector> {
      const caller = requireUser(principal);
      const input = validateInput(updateInput, args.input);
      const current = await get(principal, args.id);
      hints.targetIds = [current._id];
      const authKind = input.authKind ?? current.authKind;
      const clientId = input.clientId !== undefined ? input.clientId : current.clientId;
      if (authKind === "OAUTH_CLIENT_CREDENTIALS" && !clientId) {
        validateInput(z.object({ clientId: z.string({ error: "OAUTH_CLIENT_CREDENTIALS needs the OAuth application's clientId" }) }), {});
      }
      const sync: SyncSettings = input.sync
        ? {
            ...current.sync,
            enabled: input.sync.enabled,
            intervalMinutes: input.sync.intervalMinutes ?? current.sync.intervalMinutes,
            query: input.sync.query !== undefined ? (input.sync.query ?? null) : current.sync.query,
            // The scheduled sync acts as whoever turned it on (this mutation is audited).
            runAs: input.sync.enabled ? { userId: caller.userId, roles: caller.roles } : null,
          }
        : current.sync;
      const set: Partial<ConnectorRecord> = {
        ...(input.name ? { name: input.name } : {}),
        ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}),
        authKind,
        clientId: clientId ?? null,
        ...(input.username !== undefined ? { username: input.username ?? null } : {}),
        ...(sealed(input) ? { secret: sealed(input)! } : {}),
        mapping: mergeMapping(current.mapping, input.mapping),
        rateLimit: input.rateLimit ?? current.rateLimit,
        replay: mergeReplay(current.replay, input.replay),
        sync,
        updatedAt: new Date(now()),
      };
      try {
        await repo.forTenant(caller.tenantId).updateOne({ _id: current._id }, { $set: set });
      } catch (error) {
        if (isDuplicateKeyError(error)) throw conflict(input.name ?? current.name);
        throw error;
      }
      return get(principal, current._id);
    },

    /** Records the pull cursor after a sync page (only forward). */
    async saveCursor(tenantId: string, id: string, cursor: string | null, at: Date): Promise<void> {
      await repo.forTenant(tenantId).updateOne({ _id: id }, { $set: { "sync.cursor": cursor, "sync.lastSyncAt": at } as never });
    },

    async list(principal: Principal): Promise<Connector[]> {
      const caller = requireUser(principal);
      return (await repo.forTenant(caller.tenantId).find({}, { sort: { createdAt: -1 } })).map(withDefaults);
    },
  };
}

export type ConnectorService = ReturnType<typeof createConnectorService>;
