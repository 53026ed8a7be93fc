import { randomBytes } from "node:crypto";
import { z } from "zod";
import {
  appError,
  ErrorCode,
  validateInput,
  type AuditHints,
  type AuthenticatedPrincipal,
  type Clock,
  type Principal,
  type SecretBox,
} from "@intelgraph/kit";
import { aclInput, type PlaybookRecord, type Right } from "./model.ts";
import { parseWebhookTarget } from "./webhooks.ts";

const alertsInput = z.object({
  webhookUrl: z.string().max(2000).nullish(),
  emails: z.array(z.email("an e-mail address")).max(20).nullish(),
});

export interface PlaybookSettingsDeps {
  load(principal: Principal, id: unknown, right: Right): Promise<{ caller: AuthenticatedPrincipal; playbook: PlaybookRecord }>;
  replace(tenantId: string, playbook: PlaybookRecord): Promise<PlaybookRecord>;
  secretBox: SecretBox;
  now: Clock;
  onScheduleChange(): void;
}

/** What changes a playbook without a new version of its definition: ACL, alert channels, approval, pause and resume. */
export function createPlaybookSettings({ load, replace, secretBox, now, onScheduleChange }: PlaybookSettingsDeps) {
  return {
    async setAcl(principal: Principal, args: { id: unknown; entries: unknown }, hints: AuditHints) {
      const { caller, playbook } = await load(principal, args.id, "SHARE");
      hints.targetIds = [playbook._id];
      const acl = validateInput(aclInput, args.entries);
      return replace(caller.tenantId, { ...playbook, acl, updatedAt: new Date(now()) });
    },

    async setAlerts(principal: Principal, args: { id: unknown; input: unknown; rotateSecret?: unknown }, hints: AuditHints) {
      const { caller, playbook } = await load(principal, args.id, "EDIT");
      hints.targetIds = [playbook._id];
      const input = validateInput(alertsInput, args.input);
      if (input.webhookUrl) parseWebhookTarget(input.webhookUrl, "input.webhookUrl");
      const rotate = args.rotateSecret === true;
      const secret = rotate ? randomBytes(32).toString("base64url") : secretBox.open(playbook.signingSecret);
      const show = rotate || !playbook.signingSecretShown;
      const next: PlaybookRecord = {
        ...playbook,
        alerts: { webhookUrl: input.webhookUrl ?? null, emails: input.emails ?? [] },
        signingSecret: rotate ? secretBox.seal(secret) : playbook.signingSecret,
        signingSecretShown: true,
        updatedAt: new Date(now()),
      };
      await replace(caller.tenantId, next);
      return { playbook: next, webhookSecret: show ? secret : null };
    },

    async approve(principal: Principal, args: { id: unknown; version: unknown }, hints: AuditHints) {
      const { caller, playbook } = await load(principal, args.id, "EDIT");
      hints.targetIds = [playbook._id];
      if (args.version !== playbook.version) {
        throw appError(
          ErrorCode.CONFLICT,
          `The playbook is at version ${playbook.version}, not ${String(args.version)}: review the current version before approving it.`,
          {
            currentVersion: playbook.version,
          },
        );
      }
      if (playbook.updatedBy === caller.userId) {
        throw appError(
          ErrorCode.FORBIDDEN,
          "You made the latest change to this playbook, so someone else with the EDIT right must approve it.",
          {
            reason: "self-approval",
          },
        );
      }
      const at = new Date(now());
      const schedule = playbook.schedule && { ...playbook.schedule, activeSince: at };
      const next = { ...playbook, schedule, approval: { version: playbook.version, approvedBy: caller.userId, approvedAt: at } };
      await replace(caller.tenantId, next);
      onScheduleChange();
      return next;
    },

    async setPaused(principal: Principal, args: { id: unknown }, paused: boolean, hints: AuditHints) {
      const { caller, playbook } = await load(principal, args.id, "EDIT");
      hints.targetIds = [playbook._id];
      if (!playbook.schedule)
        throw appError(ErrorCode.BAD_USER_INPUT, "This playbook has no schedule to pause or resume; set one with updatePlaybook.", {
          argument: "id",
        });
      const at = new Date(now());
      const schedule = { ...playbook.schedule, paused, activeSince: paused ? playbook.schedule.activeSince : at };
      const next = { ...playbook, schedule, updatedAt: at };
      await replace(caller.tenantId, next);
      if (!paused) onScheduleChange();
      return next;
    },
  };
}
