import { newId, parseId, requireUser, type AuditHints, type Clock, type PeerCaller, type Principal, type PubSub } from "@intelgraph/kit";
import { notFound, rightsOf } from "./acl.ts";
import type { EntityType, PlaybookRecord } from "./model.ts";
import { resolveParameters } from "./parameters.ts";
import { granteeOf, type PlaybookService } from "./playbookService.ts";
import { pendingSteps, runTopic, type RunRecord, type RunTrigger } from "./runRecords.ts";
import type { RunStore } from "./runStore.ts";
import { exportRun } from "./runExport.ts";
import { runView, type RunView } from "./views.ts";

const ENTITY_FIELDS: Record<EntityType, string> = {
  Person: "people",
  Organization: "organizations",
  Domain: "domains",
  IPAddress: "ipAddresses",
  Indicator: "indicators",
  Incident: "incidents",
  ThreatActor: "threatActors",
  IntrusionSet: "intrusionSets",
  Campaign: "campaigns",
  Malware: "malwares",
  Tool: "tools",
  AttackPattern: "attackPatterns",
  Vulnerability: "vulnerabilities",
  ThreatReport: "threatReports",
};

export interface RunServiceDeps {
  store: RunStore;
  playbooks: PlaybookService;
  peers: PeerCaller;
  pubsub: PubSub;
  now: Clock;
  /** A run was queued in this process: the local worker looks at once. */
  wake(): void;
}

export interface EnqueueOptions {
  parameters: Record<string, unknown>;
  trigger: RunTrigger;
  requestedBy: string;
  runAs: RunRecord["runAs"];
  shareLinkId?: string;
}

export function createRunService(deps: RunServiceDeps) {
  const { store, playbooks, peers, now } = deps;

  /** Checks entity parameters as `principal` on graph (their tenant only, their read rights). */
  const entityCheck = (principal: Principal) => async (type: EntityType, id: string) => {
    const field = ENTITY_FIELDS[type];
    const data = await peers.call<Record<string, Array<{ id: string }>>>("graph", principal, {
      query: `query($id: ID!) { ${field}(where: { id: { eq: $id } }, limit: 1) { id } }`,
      variables: { id },
    });
    return (data[field] ?? []).length > 0;
  };

  async function enqueue(playbook: PlaybookRecord, options: EnqueueOptions): Promise<RunRecord> {
    const run: RunRecord = {
      _id: newId(),
      tenantId: playbook.tenantId,
      playbookId: playbook._id,
      version: playbook.version,
      steps: playbook.steps,
      parameterDefinitions: playbook.parameters,
      parameters: options.parameters,
      status: "QUEUED",
      trigger: options.trigger,
      requestedBy: options.requestedBy,
      runAs: options.runAs,
      shareLinkId: options.shareLinkId ?? null,
      scheduledFor: null,
      queuedAt: new Date(now()),
      startedAt: null,
      finishedAt: null,
      error: null,
      errorCode: null,
      reportId: null,
      stepRuns: pendingSteps(playbook.steps),
      attempt: 0,
      owner: null,
      leaseUntil: null,
      alerts: [],
    };
    await store.insert(run);
    await deps.pubsub.publish(runTopic(run.tenantId), runView(run));
    deps.wake();
    return run;
  }

  async function visibleRun(principal: Principal, id: unknown): Promise<RunRecord | null> {
    const caller = requireUser(principal);
    const run = await store.repo.forTenant(caller.tenantId).findOne({ _id: parseId(id) });
    if (!run) return null;
    const playbook = await playbooks.repo.forTenant(caller.tenantId).findOne({ _id: run.playbookId });
    return playbook && rightsOf(playbook, granteeOf(caller)).includes("VIEW") ? run : null;
  }

  return {
    enqueue,
    entityCheck,

    async run(principal: Principal, args: { id: unknown; parameters?: unknown }, hints: AuditHints): Promise<RunRecord> {
      const { caller, playbook } = await playbooks.load(principal, args.id, "RUN");
      const parameters = await resolveParameters(playbook.parameters, args.parameters, entityCheck(principal));
      const run = await enqueue(playbook, {
        parameters,
        trigger: "MANUAL",
        requestedBy: caller.userId,
        runAs: { kind: caller.kind, userId: caller.userId, scopes: caller.scopes, ...(caller.tokenId ? { tokenId: caller.tokenId } : {}) },
      });
      hints.targetIds = [run._id, playbook._id];
      return run;
    },

    get: (principal: Principal, args: { id: unknown }) => visibleRun(principal, args.id),

    async list(principal: Principal, args: { playbookId: unknown; first?: unknown }) {
      const playbook = await playbooks.get(principal, { id: args.playbookId });
      if (!playbook) return [];
      return this.forPlaybook(playbook, args.first);
    },

    async forPlaybook(playbook: PlaybookRecord, first?: unknown, filter: Partial<Pick<RunRecord, "shareLinkId">> = {}) {
      const limit = typeof first === "number" ? Math.min(Math.max(first, 1), 100) : 20;
      return store.repo.forTenant(playbook.tenantId).find({ playbookId: playbook._id, ...filter }, { sort: { queuedAt: -1 }, limit });
    },

    /** Updates of the runs the caller may view, optionally of one run or playbook. */
    async *subscribe(principal: Principal, args: { runId?: string | null; playbookId?: string | null }): AsyncGenerator<RunView> {
      const caller = requireUser(principal);
      const runId = args.runId ? parseId(args.runId, "runId") : null;
      const playbookId = args.playbookId ? parseId(args.playbookId, "playbookId") : null;
      const visible = new Map<string, boolean>();
      const source = deps.pubsub.subscribe<RunView>(runTopic(caller.tenantId));
      try {
        for await (const update of source) {
          if ((runId && update.id !== runId) || (playbookId && update.playbookId !== playbookId)) continue;
          let may = visible.get(update.playbookId);
          if (may === undefined) {
            const playbook = await playbooks.repo.forTenant(caller.tenantId).findOne({ _id: update.playbookId });
            may = Boolean(playbook && rightsOf(playbook, granteeOf(caller)).includes("VIEW"));
            visible.set(update.playbookId, may);
          }
          if (may) yield update;
        }
      } finally {
        await source.return?.();
      }
    },

    /** JSON or CSV of the run (steps, status, outputs), or the PDF of the report it made, exported through graph as the caller. */
    async export(principal: Principal, args: { runId: unknown; format: unknown }, hints: AuditHints) {
      const run = await visibleRun(principal, args.runId);
      if (!run) throw notFound("playbook run");
      hints.targetIds = [run._id, run.playbookId];
      return exportRun(peers, principal, run, args.format);
    },
  };
}

export type RunService = ReturnType<typeof createRunService>;
