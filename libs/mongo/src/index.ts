import { MongoClient, type Collection, type CollectionOptions, type Db } from 'mongodb';

export type {
  AnyBulkWriteOperation,
  Collection,
  Db,
  Document,
  Filter,
  MongoClient,
  OptionalUnlessRequiredId,
  WriteError,
} from 'mongodb';
export { MongoBulkWriteError } from 'mongodb';

export interface MongoConnection {
  /** The current client (replaced when its server monitor is stuck; see connectMongo). */
  readonly client: MongoClient;
  /** A database handle that always uses the current client. */
  readonly db: Db;
  /** A real round trip to the server, for /readyz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** How long a server check may stay unanswered before the client is taken for stuck. */
const STUCK_HEARTBEAT_MS = 30_000;

/**
 * Connect with majority write concern (acknowledged by a majority of a replica set, so an
 * acknowledged write survives a failover) and bounded timeouts so a dead server fails fast.
 *
 * The driver's server monitor can wedge when the server restarts at the wrong moment: a check
 * starts and never ends (no socket left, no timeout fires), the server stays "unknown", and
 * every operation fails server selection for good — seen with FerretDB restarting under load
 * (`npm run chaos`, and a restart loop against the ingress: 3 runs of 3). So a check left
 * unanswered for 30 s (a real one answers or fails within `connectTimeoutMS`) replaces the
 * client with a new one; `db` and the collections taken from it always use the current client.
 */
export async function connectMongo(opts: {
  url: string;
  database: string;
  appName: string;
  serverSelectionTimeoutMs?: number;
  /** Tests: how long a check may hang before the client is replaced. */
  stuckHeartbeatMs?: number;
  onReplaced?: (reason: string) => void;
}): Promise<MongoConnection> {
  const stuckAfter = opts.stuckHeartbeatMs ?? STUCK_HEARTBEAT_MS;
  const create = () =>
    new MongoClient(opts.url, {
      appName: opts.appName,
      writeConcern: { w: 'majority' },
      readConcern: { level: 'majority' },
      retryWrites: true,
      serverSelectionTimeoutMS: opts.serverSelectionTimeoutMs ?? 5_000,
      connectTimeoutMS: 5_000,
      maxPoolSize: 20,
    });

  let client = create();
  let checkPendingSince: number | null = null;
  const watch = (c: MongoClient) => {
    c.on('serverHeartbeatStarted', () => {
      if (c === client) checkPendingSince ??= Date.now();
    });
    const ended = () => {
      if (c === client) checkPendingSince = null;
    };
    c.on('serverHeartbeatSucceeded', ended);
    c.on('serverHeartbeatFailed', ended);
  };
  watch(client);
  await client.connect();
  const firstDb = client.db(opts.database);
  await firstDb.command({ ping: 1 });

  let closed = false;
  let replacing = false;
  async function replace(reason: string): Promise<void> {
    if (replacing || closed) return;
    replacing = true;
    const next = create();
    try {
      watch(next);
      await next.connect();
      await next.db(opts.database).command({ ping: 1 });
      if (closed) {
        await next.close(true);
        return;
      }
      const old = client;
      client = next;
      checkPendingSince = null;
      opts.onReplaced?.(reason);
      void old.close(true).catch(() => undefined);
    } catch {
      // The server is still away: the next tick tries again.
      await next.close(true).catch(() => undefined);
    } finally {
      replacing = false;
    }
  }
  const watchdog = setInterval(
    () => {
      if (checkPendingSince !== null && Date.now() - checkPendingSince > stuckAfter) {
        void replace(`a server check has been unanswered for ${Math.round((Date.now() - checkPendingSince) / 1000)} s`);
      }
    },
    Math.min(5_000, Math.max(100, stuckAfter / 4)),
  );
  watchdog.unref();

  // Handles of the current client, made once per client.
  let handles = { client, db: firstDb, collections: new Map<string, Collection>() };
  const current = () => {
    if (handles.client !== client) handles = { client, db: client.db(opts.database), collections: new Map() };
    return handles;
  };
  const db = forwarding<Db>(() => current().db, {
    collection: (name: string, options?: CollectionOptions) =>
      forwarding<Collection>(() => {
        const h = current();
        if (options) return h.db.collection(name, options);
        let c = h.collections.get(name);
        if (!c) h.collections.set(name, (c = h.db.collection(name)));
        return c;
      }),
  });
  return {
    get client() {
      return client;
    },
    db,
    async ping() {
      const res = await client.db(opts.database).command({ ping: 1 });
      return res['ok'] === 1;
    },
    async close() {
      closed = true;
      clearInterval(watchdog);
      await client.close();
    },
  };
}

/**
 * An object that stands for whatever `current()` returns at each use: property reads and method
 * calls go to the current target (methods bound to it). `overrides` replace some members.
 */
function forwarding<T extends object>(current: () => T, overrides: Record<string, unknown> = {}): T {
  return new Proxy({} as T, {
    get(_target, prop) {
      if (typeof prop === 'string' && Object.hasOwn(overrides, prop)) return overrides[prop];
      const target = current();
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    has: (_target, prop) => Reflect.has(current(), prop),
  });
}

export { createBatchedInserts, type BatchedInserts } from './batched-inserts';
export { collections } from './collections';
export { createFencedTransitions, type FencedTransitions } from './fences';
export { ensureIndexes, hasTtlIndexes, type IndexSpec } from './indexes';
export { fromJsonText } from './json-text';
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
