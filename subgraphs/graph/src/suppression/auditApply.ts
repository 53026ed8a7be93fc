/**
 * Every suppression run that hid or showed an indicator is one system audit
 * event in the tenant's log (`suppressionApplied`): the counts per rule, so
 * what each rule hides is auditable beside the rules' own history (their
 * create, update and delete mutations). Runs that changed nothing are not
 * recorded (the 5-minute sweep would fill the log).
 */
import type { AuditRecorder, Clock } from "@intelgraph/kit";
import type { ApplyOutcome } from "./suppressionEngine.ts";
import type { SuppressionRuleDoc } from "./suppressionRules.ts";

export async function auditApply(
  deps: { audit: AuditRecorder; now: Clock },
  tenantId: string,
  outcome: ApplyOutcome,
  rules: SuppressionRuleDoc[],
): Promise<void> {
  const names = new Map(rules.map((r) => [r._id, r.name]));
  const byRule = [...outcome.byRule].map(([ruleId, suppressed]) => ({ ruleId, name: names.get(ruleId) ?? ruleId, suppressed }));
  await deps.audit.record({
    tenantId,
    actor: { userId: null, kind: "system" },
    action: "suppressionApplied",
    service: "graph",
    targetType: "SuppressionRule",
    targetIds: byRule.map((r) => r.ruleId),
    outcome: "success",
    errorCode: null,
    requestId: `suppression-${tenantId}-${deps.now()}`,
    arguments: { scanned: outcome.scanned, newlySuppressed: outcome.newlySuppressed, released: outcome.released, byRule },
  });
}
