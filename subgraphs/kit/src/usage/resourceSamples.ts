import { hostname } from "node:os";
import type { Db } from "mongodb";
import type { Logger } from "../observability/logger.ts";
import { isDuplicateKeyError } from "../store/mongo.ts";
import type { ResourceLedger } from "./resourceLedger.ts";
import { utcDay } from "./usageMetrics.ts";

/**
 * One day's measured storage of the whole platform (the stores' own figures).
 * Each store's sampler writes its own document, `<day>/<store>`: the graph and
 * the billing subgraph sample at the same minute, and on the Mongo-wire store
 * two concurrent `$set`s on one document can lose one of them.
 */
export const STORAGE_SAMPLES = "billing_storage_samples";

export type StorageSource = "graph" | "mongo";

export interface StorageFigures {
  mongoBytes?: number;
  graphNodes?: number;
  graphRelationships?: number;
}

export interface StorageSample extends StorageFigures {
  _id: string;
  day?: string;
  source?: StorageSource;
  at: Date;
}

/** Stores one store's figures for the day (a later sample of the same day replaces them). */
export async function setStorageSample(db: Db, day: string, source: StorageSource, figures: StorageFigures, at: Date): Promise<void> {
  const samples = db.collection<StorageSample>(STORAGE_SAMPLES);
  const doc = { day, source, ...figures, at };
  try {
    await samples.replaceOne({ _id: `${day}/${source}` }, doc, { upsert: true });
  } catch (error) {
    // Two replicas of one store sampled at once and both tried the insert: the document exists now.
    if (!isDuplicateKeyError(error)) throw error;
    await samples.replaceOne({ _id: `${day}/${source}` }, doc);
  }
}

/** The day's figures of every store (and of a sample written as one `_id: day` document before the split). */
export async function readStorageSample(db: Db, day: string): Promise<StorageFigures> {
  const found = await db
    .collection<StorageSample>(STORAGE_SAMPLES)
    .find({ $or: [{ _id: day }, { day }] })
    .toArray();
  const figures: StorageFigures = {};
  for (const s of found) {
    if (s.mongoBytes !== undefined) figures.mongoBytes = s.mongoBytes;
    if (s.graphNodes !== undefined) figures.graphNodes = s.graphNodes;
    if (s.graphRelationships !== undefined) figures.graphRelationships = s.graphRelationships;
  }
  return figures;
}

/** One process's drained CPU for an interval: what the daily reconciliation adds up per day. */
export const RESOURCE_SAMPLES = "billing_resource_samples";

export interface ResourceSample {
  _id: string;
  day: string;
  process: string;
  fromMs: number;
  toMs: number;
  totalCpuMicros: number;
  unattributedCpuMicros: number;
  tenants: { tenantId: string; cpuMicros: number }[];
}

/**
 * Writes the ledger's drain every `intervalMs` (and on stop) as one document
 * per process and interval. A failed write keeps nothing: the interval's CPU
 * is lost to reconciliation (it lowers that day's measured total and
 * attributed share alike) and logged.
 */
export function createResourceSampler({
  db,
  ledger,
  logger,
  intervalMs = 60_000,
}: {
  db: Db;
  ledger: ResourceLedger;
  logger: Logger;
  intervalMs?: number;
}) {
  const samples = db.collection<ResourceSample>(RESOURCE_SAMPLES);
  const processId = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  let timer: NodeJS.Timeout | null = null;

  async function write() {
    const drain = ledger.drain();
    if (!drain.totalCpuMicros) return;
    const doc: ResourceSample = {
      _id: `${processId}|${Math.round(drain.fromMs)}`,
      day: utcDay(drain.toMs),
      process: processId,
      fromMs: drain.fromMs,
      toMs: drain.toMs,
      totalCpuMicros: drain.totalCpuMicros,
      unattributedCpuMicros: drain.unattributedCpuMicros,
      tenants: [...drain.tenants].map(([tenantId, cpuMicros]) => ({ tenantId, cpuMicros })),
    };
    try {
      await samples.insertOne(doc);
    } catch (error) {
      logger.warn({ err: error }, "resource sample not stored");
    }
  }

  return {
    start() {
      ledger.start();
      timer ??= setInterval(() => void write(), intervalMs);
      timer.unref();
    },
    flush: write,
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await write();
      ledger.stop();
    },
  };
}

export async function ensureResourceSampleIndexes(db: Db) {
  await db.collection(RESOURCE_SAMPLES).createIndex({ day: 1 }, { name: "day" });
  await db.collection(STORAGE_SAMPLES).createIndex({ day: 1 }, { name: "day" });
}
