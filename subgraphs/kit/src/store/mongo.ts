import { MongoBulkWriteError, MongoClient, MongoServerError, type Collection, type Db, type Document } from "mongodb";

export interface MongoConnection {
  client: MongoClient;
  db: Db;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function connectMongo(uri: string, dbName: string): Promise<MongoConnection> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000, appName: "intelgraph" });
  await client.connect();
  const db = client.db(dbName);
  return {
    client,
    db,
    async ping() {
      await db.command({ ping: 1 });
    },
    close: () => client.close(),
  };
}

export function isDuplicateKeyError(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

/**
 * Inserts the documents whose `_id` is not stored yet and leaves the others
 * alone (insert-only, idempotent); returns how many were new. One `insert`
 * command with `ordered: false`, duplicate-key errors ignored.
 *
 * Use it instead of a bulk of `$setOnInsert` upserts: FerretDB 1.x (SQLite)
 * keeps one SQLite connection per update statement open until the whole
 * command ends, so a bulk of more than ~100 upserts exhausts its per-database
 * pool and hangs that database for every client (docs/architecture.md, pitfalls).
 */
export async function insertNew<T extends Document>(collection: Collection<T>, docs: T[]): Promise<number> {
  if (!docs.length) return 0;
  try {
    return (await collection.insertMany(docs as never[], { ordered: false })).insertedCount;
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    const other = errors.find((e) => e.code !== 11000);
    if (other) throw error;
    return docs.length - errors.length;
  }
}
