import { MongoClient, type Db } from 'mongodb';

export type { AnyBulkWriteOperation, Collection, Db, Document, Filter, MongoClient, WriteError } from 'mongodb';
export { MongoBulkWriteError } from 'mongodb';

export interface MongoConnection {
  readonly client: MongoClient;
  readonly db: Db;
  /** A real round trip to the server, for /readyz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Connect with majority write concern (acknowledged by a majority of a replica set, so an
 * acknowledged write survives a failover) and bounded timeouts so a dead server fails fast.
 */
export async function connectMongo(opts: {
  url: string;
  database: string;
  appName: string;
  serverSelectionTimeoutMs?: number;
}): Promise<MongoConnection> {
  const client = new MongoClient(opts.url, {
    appName: opts.appName,
    writeConcern: { w: 'majority' },
    readConcern: { level: 'majority' },
    retryWrites: true,
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMs ?? 5_000,
    connectTimeoutMS: 5_000,
    maxPoolSize: 20,
  });
  await client.connect();
  const db = client.db(opts.database);
  await db.command({ ping: 1 });
  return {
    client,
    db,
    async ping() {
      const res = await db.command({ ping: 1 });
      return res['ok'] === 1;
    },
    close: () => client.close(),
  };
}

export { createBatchedInserts, type BatchedInserts } from './batched-inserts';
export { collections } from './collections';
export { createFencedTransitions, type FencedTransitions } from './fences';
export { ensureIndexes, hasTtlIndexes, type IndexSpec } from './indexes';
export {
  followReadModelPointer,
  initialPointer,
  isPaused,
  readReadModelPointer,
  READ_MODEL_POINTER_ID,
  type ReadModelFollower,
  type ReadModelPointer,
  type ReadModelPointerDoc,
} from './read-model';
