import type { Driver } from "neo4j-driver";
import { appError, ErrorCode, type BillingGuard, type Clock, type Logger, type PubSub } from "@intelgraph/kit";
import type { IngestStore } from "./ingestStore.ts";

/** What `createIngestService` is built from. */
export interface IngestServiceOptions {
  store: IngestStore;
  driver: Driver;
  database: string;
  logger: Logger;
  uploadKey: string;
  /** Progress subscribers hear about state changes made here (a queued job cancelled). */
  pubsub: PubSub;
  /** A worker in this process to wake when a job is queued. */
  kick?: () => void;
  /** Quotas and budgets: a new ingest job needs INGEST_RECORDS quota and budget left. */
  billing?: BillingGuard;
  /**
   * How long an upload URL stays valid, ms.
   * @default 1_800_000 (30 minutes)
   */
  uploadTtlMs?: number;
  /**
   * The clock every timestamp and expiry is read from.
   * @default systemClock
   */
  now?: Clock;
}

/** The options with their defaults applied: what each part of the ingest service receives. */
export interface IngestServiceDeps extends Required<Omit<IngestServiceOptions, "kick" | "billing">> {
  kick?: () => void;
  billing?: BillingGuard;
}

export function notFound(what: string, id: string): never {
  throw appError(ErrorCode.NOT_FOUND, `No ${what} with id ${id} in your tenant.`, { id });
}
