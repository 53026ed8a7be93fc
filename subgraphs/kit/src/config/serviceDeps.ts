import type { GraphQLSchema } from "graphql";
import type { Db } from "mongodb";
import type { AuditRecorder } from "../audit/auditRecorder.ts";
import type { PeerCaller } from "../http/peerCaller.ts";
import type { Logger } from "../observability/logger.ts";
import type { PubSub } from "../pubsub/pubsub.ts";
import type { BillingGuard } from "../usage/billingGuard.ts";
import type { Scheduler } from "../schedule/scheduler.ts";
import type { ResourceLedger } from "../usage/resourceLedger.ts";
import type { UsageRecorder } from "../usage/usageRecorder.ts";

/** Dependencies every subgraph is built from; created once in a composition root. */
export interface ServiceDeps {
  /** HMAC key shared with the gateway for the signed principal header. */
  principalKey: string;
  logger: Logger;
  pubsub: PubSub;
  /** The MongoDB-wire database (FerretDB locally, MongoDB/Atlas elsewhere). */
  db: Db;
  audit: AuditRecorder;
  /** Metering: every billable action records a usage event here (batched, idempotent per key). */
  usage: UsageRecorder;
  /** Quotas and budgets, checked where a metered operation starts. */
  billing: BillingGuard;
  /** The process's one scheduler: services add their jobs, the composition root starts and stops it. */
  scheduler: Scheduler;
  /**
   * Runs operations on other subgraphs as a principal (signed like a gateway
   * request, so their policies, tenancy and audit apply): playbook steps,
   * connector syncs. In-process in all-in-one mode, loopback HTTP in split mode.
   */
  peers: PeerCaller;
  /** Per-tenant CPU attribution of this process (cost reconciliation). */
  resources: ResourceLedger;
  /**
   * Applies the access policies to a subgraph schema: `protectSchema` from
   * @intelgraph/policies, injected by the composition root. Only the gateway
   * throughput benchmark passes the identity, to measure what the policies cost.
   */
  protect: (schema: GraphQLSchema) => GraphQLSchema;
  /**
   * The clock every service reads instead of `Date.now()` / `new Date()`, so
   * time-based behaviour (retention, expiry, schedules, budgets) is testable
   * without sleeping. Milliseconds since the epoch.
   * @default Date.now (see `systemClock`)
   */
  now: Clock;
}

/** Milliseconds since the epoch. */
export type Clock = () => number;

/** The real clock; tests pass their own (`createTestClock` style: a number they advance). */
export const systemClock: Clock = () => Date.now();
