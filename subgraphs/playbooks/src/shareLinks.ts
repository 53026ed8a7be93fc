import { createHash, randomBytes } from "node:crypto";
import type { Db } from "mongodb";
import { z } from "zod";
import {
  appError,
  createTenantRepository,
  ErrorCode,
  parseId,
  readCurrentRoles,
  requireUser,
  validateInput,
  type AuditHints,
  type AuditRecorder,
  type Clock,
  type Principal,
  type TenantDocument,
} from "@intelgraph/kit";
import { notFound, requireRight, rightsOf } from "./acl.ts";
import { resolveParameters } from "./parameters.ts";
import { granteeOf, type PlaybookService } from "./playbookService.ts";
import type { RunService } from "./runService.ts";

export interface ShareLinkRecord extends TenantDocument {
  tokenHash: string;
  playbookId: string;
  scope: "VIEW_RESULTS" | "RUN";
  parameters: Record<string, unknown> | null;
  expiresAt: Date;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

const TOKEN_PREFIX = "pbs_";
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

const createInput = z.object({
  playbookId: z.string(),
  scope: z.enum(["VIEW_RESULTS", "RUN"]),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  expiresAt: z.iso.datetime({ offset: true, error: "an ISO date-time such as 2026-12-31T23:59:00Z" }),
});

export interface ShareLinkDeps {
  db: Db;
  playbooks: PlaybookService;
  runs: RunService;
  audit: AuditRecorder;
  now: Clock;
}

/**
 * Share links: a random token (shown once, stored as its SHA-256) that opens
 * one playbook to signed-in users of its tenant, to view its results or to run
 * it with fixed parameters as the link's creator. Another tenant's token is
 * NOT_FOUND; an expired or revoked one LINK_EXPIRED (with `reason`). Every use
 * is audited.
 */
export function createShareLinks(deps: ShareLinkDeps) {
  const { playbooks, runs, now } = deps;
  const repo = createTenantRepository<ShareLinkRecord>(deps.db, "playbook_share_links", {
    indexes: [{ key: { tenantId: 1, tokenHash: 1 }, unique: true, name: "token" }],
  });

  async function open(principal: Principal, token: unknown, action: string) {
    const caller = requireUser(principal);
    const hash = typeof token === "string" && token.startsWith(TOKEN_PREFIX) ? hashToken(token) : null;
    const link = hash ? await repo.forTenant(caller.tenantId).findOne({ tokenHash: hash }) : null;
    if (!link) throw appError(ErrorCode.NOT_FOUND, "No such share link in your tenant. Ask whoever shared it for a new one.");
    const at = new Date(now());
    const audit = (outcome: "success" | "failure", errorCode: string | null) =>
      deps.audit.record({
        tenantId: caller.tenantId,
        actor: { userId: caller.userId, kind: caller.kind, ...(caller.tokenId ? { tokenId: caller.tokenId } : {}) },
        action,
        service: "playbooks",
        targetType: "PlaybookShareLink",
        targetIds: [link._id, link.playbookId],
        outcome,
        errorCode,
        requestId: "",
        arguments: { scope: link.scope },
      });
    if (link.revokedAt || link.expiresAt <= at) {
      await audit("failure", ErrorCode.LINK_EXPIRED);
      const reason = link.revokedAt ? "revoked" : "expired";
      throw appError(
        ErrorCode.LINK_EXPIRED,
        `This share link was ${reason}${link.revokedAt ? "" : ` at ${link.expiresAt.toISOString()}`}. Ask whoever shared it for a new one.`,
        {
          reason,
        },
      );
    }
    const playbook = await playbooks.repo.forTenant(caller.tenantId).findOne({ _id: link.playbookId });
    if (!playbook) throw appError(ErrorCode.NOT_FOUND, "The shared playbook no longer exists.");
    await repo.forTenant(caller.tenantId).updateOne({ _id: link._id }, { $set: { lastUsedAt: at } });
    await audit("success", null);
    return { caller, link: { ...link, lastUsedAt: at }, playbook };
  }

  return {
    ensureIndexes: () => repo.ensureIndexes(),

    async create(principal: Principal, args: { input: unknown }, hints: AuditHints) {
      const input = validateInput(createInput, args.input);
      const { caller, playbook } = await playbooks.load(principal, input.playbookId, "SHARE");
      hints.targetIds = [playbook._id];
      const expiresAt = new Date(input.expiresAt);
      if (expiresAt.getTime() <= now()) {
        throw appError(ErrorCode.BAD_USER_INPUT, "expiresAt must lie in the future.", {
          problems: [{ path: "expiresAt", message: "must lie in the future" }],
        });
      }
      let parameters: Record<string, unknown> | null = null;
      if (input.scope === "RUN") {
        requireRight(playbook, granteeOf(caller), "RUN");
        parameters = await resolveParameters(playbook.parameters, input.parameters, runs.entityCheck(principal));
      }
      const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
      const link = await repo.forTenant(caller.tenantId).insertOne({
        tokenHash: hashToken(token),
        playbookId: playbook._id,
        scope: input.scope,
        parameters,
        expiresAt,
        createdBy: caller.userId,
        createdAt: new Date(now()),
        revokedAt: null,
        lastUsedAt: null,
      });
      hints.targetIds = [link._id, playbook._id];
      return { link, token };
    },

    async revoke(principal: Principal, args: { id: unknown }, hints: AuditHints) {
      const caller = requireUser(principal);
      const link = await repo.forTenant(caller.tenantId).findOne({ _id: parseId(args.id) });
      if (!link) throw notFound("share link");
      hints.targetIds = [link._id, link.playbookId];
      if (link.createdBy !== caller.userId) await playbooks.load(principal, link.playbookId, "SHARE");
      if (link.revokedAt) return link;
      const revokedAt = new Date(now());
      await repo.forTenant(caller.tenantId).updateOne({ _id: link._id }, { $set: { revokedAt } });
      return { ...link, revokedAt };
    },

    async list(principal: Principal, args: { playbookId: unknown }) {
      const { playbook } = await playbooks.load(principal, args.playbookId, "SHARE");
      return repo.forTenant(playbook.tenantId).find({ playbookId: playbook._id }, { sort: { createdAt: -1 } });
    },

    async shared(principal: Principal, args: { token: unknown }) {
      const { link, playbook } = await open(principal, args.token, "openPlaybookShareLink");
      const recent = await runs.forPlaybook(playbook, 20, link.scope === "RUN" ? { shareLinkId: link._id } : {});
      return { link, playbook, runs: recent };
    },

    /** Runs a RUN link as its creator, who must still exist, be active and hold RUN on the playbook. */
    async run(principal: Principal, args: { token: unknown }, hints: AuditHints) {
      const { caller, link, playbook } = await open(principal, args.token, "usePlaybookShareLink");
      if (link.scope !== "RUN")
        throw appError(ErrorCode.FORBIDDEN, "This share link lets you view the playbook's results, not run it.", { scope: link.scope });
      const creator = await readCurrentRoles(deps.db, caller.tenantId, link.createdBy);
      if (!creator.ok || !rightsOf(playbook, { userId: link.createdBy, roles: creator.roles }).includes("RUN")) {
        throw appError(
          ErrorCode.FORBIDDEN,
          "Whoever created this share link may no longer run the playbook, so the link cannot run it either.",
          {
            reason: "creator-lost-right",
          },
        );
      }
      const run = await runs.enqueue(playbook, {
        parameters: link.parameters ?? {},
        trigger: "SHARE_LINK",
        requestedBy: caller.userId,
        runAs: { kind: "user", userId: link.createdBy, scopes: [] },
        shareLinkId: link._id,
      });
      hints.targetIds = [run._id, playbook._id, link._id];
      return run;
    },
  };
}

export type ShareLinks = ReturnType<typeof createShareLinks>;
