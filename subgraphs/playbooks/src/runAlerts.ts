import type { Clock, Logger, SecretBox } from "@intelgraph/kit";
import type { PlaybookRecord } from "./model.ts";
import type { RunRecord } from "./runRecords.ts";
import { parseWebhookTarget, postSigned } from "./webhooks.ts";

/** Sends one e-mail; throws when it could not be handed to the SMTP server. */
export type SendMail = (message: { to: string; subject: string; text: string }) => Promise<void>;

export interface RunAlertDeps {
  secretBox: SecretBox;
  logger: Logger;
  now: Clock;
  /** Without it, e-mail alerts are recorded as not delivered (no SMTP_URL). */
  sendMail?: SendMail;
  /** Webhook attempts per alert. @default 3 */
  webhookAttempts?: number;
  /** Wait before the second attempt, doubled each time. @default 500 */
  backoffMs?: number;
}

/**
 * Failure alerts of a run: a signed POST to the playbook's webhook (retried a
 * few times) and an e-mail to each address. The subscription needs nothing
 * here: every change of a run is published anyway. Never throws; what was
 * sent is returned for the run's record.
 */
export function createRunAlerts(deps: RunAlertDeps) {
  const { webhookAttempts = 3, backoffMs = 500 } = deps;

  async function webhook(run: RunRecord, playbook: PlaybookRecord, body: string): Promise<RunRecord["alerts"][number]> {
    const raw = playbook.alerts.webhookUrl!;
    let error: string | null = null;
    for (let attempt = 1; attempt <= webhookAttempts; attempt++) {
      try {
        await postSigned({
          url: parseWebhookTarget(raw, "webhookUrl"),
          secret: deps.secretBox.open(playbook.signingSecret),
          body,
          deliveryId: `${run._id}:failed`,
          timestampSeconds: Math.floor(deps.now() / 1000),
          signal: AbortSignal.timeout(10_000),
        });
        return { channel: "WEBHOOK", target: new URL(raw).origin, delivered: true, error: null };
      } catch (e) {
        error = (e as Error).message;
        if (attempt < webhookAttempts) await new Promise((r) => setTimeout(r, backoffMs * 2 ** (attempt - 1)));
      }
    }
    deps.logger.warn({ runId: run._id, error }, "a playbook failure webhook was not delivered");
    return { channel: "WEBHOOK", target: new URL(raw).origin, delivered: false, error };
  }

  async function mail(run: RunRecord, playbook: PlaybookRecord, to: string): Promise<RunRecord["alerts"][number]> {
    if (!deps.sendMail) return { channel: "EMAIL", target: to, delivered: false, error: "no SMTP server is configured (SMTP_URL)" };
    try {
      await deps.sendMail({
        to,
        subject: `Playbook run failed: ${playbook.name}`,
        text: `The run ${run._id} of playbook "${playbook.name}" (version ${run.version}, ${run.trigger.toLowerCase()}) failed:\n\n${run.error}\n`,
      });
      return { channel: "EMAIL", target: to, delivered: true, error: null };
    } catch (e) {
      return { channel: "EMAIL", target: to, delivered: false, error: (e as Error).message };
    }
  }

  return async function alert(run: RunRecord, playbook: PlaybookRecord | null): Promise<RunRecord["alerts"]> {
    if (!playbook) return [];
    const body = JSON.stringify({
      type: "playbook.run.failed",
      tenantId: run.tenantId,
      playbookId: run.playbookId,
      playbookName: playbook.name,
      runId: run._id,
      version: run.version,
      trigger: run.trigger,
      error: run.error,
      errorCode: run.errorCode,
      failedStep: run.stepRuns.find((s) => s.status === "FAILED")?.id ?? null,
      at: new Date(deps.now()).toISOString(),
    });
    const sent = await Promise.all([
      ...(playbook.alerts.webhookUrl ? [webhook(run, playbook, body)] : []),
      ...playbook.alerts.emails.map((to) => mail(run, playbook, to)),
    ]);
    return sent;
  };
}
