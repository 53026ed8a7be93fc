import { randomUUID } from "node:crypto";
import type { Collection, Db, Document, Filter, FindOptions, IndexSpecification, UpdateFilter } from "mongodb";

/*
 * The tenant-scoped repository: the only way services reach tenant-owned Mongo
 * data. It forces the tenant into every filter and insert and refuses updates
 * that touch it (raw access is a reviewed exception: unscopedAccess.test.ts).
 */

/** Every document a tenant owns carries its tenant and a string id. */
export interface TenantDocument {
  _id: string;
  tenantId: string;
}

type WithoutScope<T> = Omit<T, "_id" | "tenantId"> & { _id?: string };

/**
 * A collection view bound to one tenant. Every filter gets `tenantId` forced in
 * (overriding anything the caller passed), every insert is stamped with it and
 * updates may not change it: an unscoped query cannot be written by accident.
 */
export interface TenantScopedCollection<T extends TenantDocument> {
  readonly tenantId: string;
  find(filter?: Filter<T>, options?: FindOptions): Promise<T[]>;
  findOne(filter: Filter<T>): Promise<T | null>;
  insertOne(doc: WithoutScope<T>): Promise<T>;
  updateOne(filter: Filter<T>, update: UpdateFilter<T>): Promise<{ matched: number; modified: number }>;
  findOneAndUpdate(filter: Filter<T>, update: UpdateFilter<T>, options?: { upsert?: boolean }): Promise<T | null>;
  deleteOne(filter: Filter<T>): Promise<number>;
  deleteMany(filter: Filter<T>): Promise<number>;
  countDocuments(filter?: Filter<T>): Promise<number>;
}

export interface TenantRepository<T extends TenantDocument> {
  forTenant(tenantId: string): TenantScopedCollection<T>;
  ensureIndexes(): Promise<void>;
}

export interface TenantRepositoryOptions {
  /** Extra indexes; `{ tenantId: 1 }` is always created. */
  indexes?: Array<{ key: IndexSpecification; unique?: boolean; name?: string }>;
}

/** True when an update would write, unset or rename `tenantId` (or a path inside it). */
export function touchesTenant(update: Document): boolean {
  const isTenantPath = (path: string) => path === "tenantId" || path.startsWith("tenantId.");
  for (const [operator, fields] of Object.entries(update)) {
    if (!fields || typeof fields !== "object") continue;
    for (const [path, value] of Object.entries(fields)) {
      if (isTenantPath(path)) return true;
      if (operator === "$rename" && typeof value === "string" && isTenantPath(value)) return true;
    }
  }
  return false;
}

function assertTenantUntouched(update: Document): void {
  if (touchesTenant(update)) throw new Error("tenant-scoped repository: an update may not change tenantId");
}

export function createTenantRepository<T extends TenantDocument>(
  db: Db,
  name: string,
  options: TenantRepositoryOptions = {},
): TenantRepository<T> {
  const collection = db.collection<T>(name) as Collection<T>;

  return {
    async ensureIndexes() {
      await collection.createIndex({ tenantId: 1 } as IndexSpecification, { name: "tenant" });
      for (const index of options.indexes ?? []) {
        await collection.createIndex(index.key, { unique: index.unique ?? false, ...(index.name ? { name: index.name } : {}) });
      }
    },

    forTenant(tenantId) {
      if (!tenantId) throw new Error("tenant-scoped repository: a tenantId is required");
      const scope = (filter: Filter<T> = {}) => ({ ...filter, tenantId }) as Filter<T>;
      return {
        tenantId,
        find: (filter, findOptions) => collection.find(scope(filter), findOptions).toArray() as Promise<T[]>,
        findOne: (filter) => collection.findOne(scope(filter)) as Promise<T | null>,
        async insertOne(doc) {
          const full = { ...doc, _id: doc._id ?? randomUUID(), tenantId } as unknown as T;
          await collection.insertOne(full as never);
          return full;
        },
        async updateOne(filter, update) {
          assertTenantUntouched(update as Document);
          const result = await collection.updateOne(scope(filter), update);
          return { matched: result.matchedCount, modified: result.modifiedCount };
        },
        async findOneAndUpdate(filter, update, opts = {}) {
          assertTenantUntouched(update as Document);
          return (await collection.findOneAndUpdate(scope(filter), update, {
            upsert: opts.upsert ?? false,
            returnDocument: "after",
          })) as T | null;
        },
        async deleteOne(filter) {
          return (await collection.deleteOne(scope(filter))).deletedCount;
        },
        async deleteMany(filter) {
          return (await collection.deleteMany(scope(filter))).deletedCount;
        },
        countDocuments: (filter) => collection.countDocuments(scope(filter)),
      };
    },
  };
}
