import { createHmac } from "node:crypto";
import { print } from "graphql";
import {
  createEmailSender,
  createSecretBox,
  createServiceSubgraph,
  type SecretBox,
  type ServiceDeps,
  type SubgraphServer,
} from "@intelgraph/kit";
import { createPlaybookService } from "./playbookService.ts";
import { resolvers, type PlaybooksContext } from "./resolvers.ts";
import { createRunAlerts, type SendMail } from "./runAlerts.ts";
import { createRunExecutor } from "./runExecutor.ts";
import { createRunService } from "./runService.ts";
import { createRunStore } from "./runStore.ts";
import { createRunWorker, type RunWorker, type RunWorkerOptions } from "./runWorker.ts";
import { createScheduleTicker } from "./scheduleTicker.ts";
import { createShareLinks } from "./shareLinks.ts";
import { typeDefs } from "./typeDefs.ts";

export const name = "playbooks";

export async function sdl(): Promise<string> {
  return print(typeDefs);
}

export interface PlaybooksServerDeps extends ServiceDeps {
  /**
   * Seals each playbook's webhook signing secret at rest (the platform's
   * CONNECTOR_SECRET_KEY, as billing's `billingSettings` builds it).
   * @default a box keyed by a key derived from the principal key
   */
  secretBox?: SecretBox;
  /** SMTP for failure e-mails (the same settings as billing's alerts); without it e-mail alerts are recorded as not sent. */
  smtp?: { url: string; from: string };
  /** Sends failure e-mails; built from `smtp` when omitted. */
  sendMail?: SendMail;
  /** The runner's timing and limits. */
  runner?: RunWorkerOptions & {
    /** Whether this process runs a worker. @default true */
    enabled?: boolean;
    /** First retry of a failed step waits this long, doubled each time. @default 500 */
    retryBackoffMs?: number;
    /** How late a scheduled slot may be picked up and still count as on time. @default 5000 */
    scheduleGraceMs?: number;
  };
}

export interface PlaybooksServer extends SubgraphServer {
  /** The run worker of this process (stopped with the server). */
  worker: RunWorker;
}

/** Failure e-mails over kit's SMTP sender (the one billing's alerts use); a refused or lost message throws. */
function mailerFor(smtp: { url: string; from: string }): { sendMail: SendMail; close(): void } {
  const sender = createEmailSender(smtp, 10_000);
  return {
    async sendMail(message) {
      const outcome = await sender.send(message);
      if (outcome.result !== "DELIVERED") throw new Error(outcome.error ?? "the message was not sent");
    },
    close: () => sender.close(),
  };
}

export async function createServer(deps: PlaybooksServerDeps): Promise<PlaybooksServer> {
  const { runner = {} } = deps;
  const secretBox =
    deps.secretBox ?? createSecretBox(createHmac("sha256", deps.principalKey).update("playbooks:signing-secrets").digest("base64url"));
  const mailer = !deps.sendMail && deps.smtp ? mailerFor(deps.smtp) : undefined;
  const sendMail = deps.sendMail ?? mailer?.sendMail;
  const store = createRunStore(deps.db);
  let worker: RunWorker | undefined;
  const wake = () => worker?.wake();
  const playbooks = createPlaybookService({ db: deps.db, secretBox, now: deps.now, onScheduleChange: wake });
  const runs = createRunService({ store, playbooks, peers: deps.peers, pubsub: deps.pubsub, now: deps.now, wake });
  const shareLinks = createShareLinks({ db: deps.db, playbooks, runs, audit: deps.audit, now: deps.now });
  await playbooks.ensureIndexes();
  await store.ensureIndexes();
  await shareLinks.ensureIndexes();

  const alert = createRunAlerts({ secretBox, logger: deps.logger, now: deps.now, ...(sendMail ? { sendMail } : {}) });
  const executor = createRunExecutor({
    db: deps.db,
    store,
    peers: deps.peers,
    pubsub: deps.pubsub,
    audit: deps.audit,
    secretBox,
    logger: deps.logger,
    now: deps.now,
    retryBackoffMs: runner.retryBackoffMs ?? 500,
    alert,
  });
  worker = createRunWorker({
    db: deps.db,
    store,
    executor,
    ticker: createScheduleTicker({ db: deps.db, store, logger: deps.logger, graceMs: runner.scheduleGraceMs ?? 5_000 }),
    logger: deps.logger,
    now: deps.now,
    pollMs: runner.pollMs ?? 1000,
    idlePollMs: runner.idlePollMs ?? 0,
    leaseMs: runner.leaseMs ?? 30_000,
    tenantConcurrency: runner.tenantConcurrency ?? 2,
    maxLocalRuns: runner.maxLocalRuns ?? 4,
  });

  const server = await createServiceSubgraph<PlaybooksContext>({
    name,
    typeDefs,
    resolvers,
    deps,
    extendContext: (base) => ({ ...base, playbooks, runs, shareLinks }),
  });
  const started = worker;
  if (runner.enabled !== false) started.start();
  const stopServer = server.stop.bind(server);
  return Object.assign(server, {
    worker: started,
    async stop() {
      await started.stop();
      mailer?.close();
      await stopServer();
    },
  });
}
