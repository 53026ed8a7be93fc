import { needs, type OperationRule } from "./rules.ts";

const read = needs("playbooks:read");
const write = needs("playbooks:write");

/**
 * The playbooks subgraph's operations. The role gate is coarse: reading and
 * running playbooks needs `playbooks:read`, creating and changing them
 * `playbooks:write`. Each playbook's own ACL (view / run / edit / share) is
 * enforced by the playbook service on top, and every step of a run executes
 * as the run's principal, so its own operation's rule applies too.
 */
export const PLAYBOOK_OPERATIONS: Readonly<Record<string, OperationRule>> = {
  "Query.playbooks": read,
  "Query.playbook": read,
  "Query.playbookVersion": read,
  "Query.playbookRun": read,
  "Query.playbookRuns": read,
  "Query.previewPlaybookSchedule": read,
  "Query.playbookShareLinks": read,
  "Query.sharedPlaybook": read,
  "Mutation.createPlaybook": write,
  "Mutation.updatePlaybook": write,
  "Mutation.setPlaybookAcl": write,
  "Mutation.setPlaybookAlerts": write,
  "Mutation.approvePlaybook": write,
  "Mutation.pausePlaybookSchedule": write,
  "Mutation.resumePlaybookSchedule": write,
  // Running and sharing are rights on the playbook (RUN, SHARE), not edits of it.
  "Mutation.runPlaybook": read,
  "Mutation.exportPlaybookRun": read,
  "Mutation.createPlaybookShareLink": read,
  "Mutation.revokePlaybookShareLink": read,
  "Mutation.runSharedPlaybook": read,
  "Subscription.playbookRunUpdated": read,
};
