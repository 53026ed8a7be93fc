import { needs, type OperationRule } from "./rules.ts";

/**
 * The playbooks subgraph's operations. The role gate is coarse (read or
 * write playbooks at all); each playbook's own ACL (view / run / edit /
 * share) is enforced by the playbook service on top, and every step of a run
 * executes as the run's principal, so its own operation's rule applies too.
 */
export const PLAYBOOK_OPERATIONS: Readonly<Record<string, OperationRule>> = {
  "Query.playbooks": needs("playbooks:read"),
  "Query.playbook": needs("playbooks:read"),
  "Mutation.createPlaybook": needs("playbooks:write"),
};
