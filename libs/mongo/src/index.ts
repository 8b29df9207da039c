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

/**
 * Every collection Longhaul uses, named in one place. Each has one writer (DESIGN.md, "each
 * service owns its data"); others may read it where a query needs it.
 */
export const collections = {
  /** ingress: one per accepted request, written before it is published (the outbox). */
  acceptances: 'acceptances',
  /** ingress: acceptances not yet acknowledged by Kafka; small, scanned by the outbox relay. */
  acceptanceOutbox: 'acceptance_outbox',
  /** ingress: Idempotency-Key records, per tenant. */
  idempotencyKeys: 'idempotency_keys',
  /** projector: the job read model, one document per job. */
  jobs: 'jobs',
  /** processor: one per job it has seen — lease, attempt, epoch, checkpoint, owed events. */
  jobRuns: 'job_runs',
  /** processor: one per state transition of a job run (its unique `_id` decides races). */
  jobRunFences: 'job_run_fences',
  /** processor: every dead letter (also on the dead-letter topic), for the admin API to list and redrive. */
  deadLetters: 'dead_letters',
  /** ingress: job types an operator paused (processors read it every few seconds). */
  jobTypeControls: 'job_type_controls',
  /** ingress: which dead-lettered job was redriven as which new job. */
  redrives: 'redrives',
  /** projector rebuild: which collection holds the read model (`jobs` until the first rebuild). */
  readModels: 'read_models',
} as const;
export { createFencedTransitions, type FencedTransitions } from './fences';
export { ensureIndexes, type IndexSpec } from './indexes';
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
