import { createGroupCommit } from '@longhaul/batching';
import {
  collections,
  ensureIndexes,
  hasTtlIndexes,
  MongoBulkWriteError,
  type AnyBulkWriteOperation,
  type Db,
  type WriteError,
} from '@longhaul/mongo';
import {
  deliveriesTtlIndex,
  webhookIndexes,
  type DeliveryAttemptRecord,
  type DeliveryDocument,
  type WebhookReplayDocument,
} from '@longhaul/webhooks';

/** A change to one delivery record after an attempt (or a decision not to attempt). */
export interface DeliveryUpdate {
  readonly id: string;
  readonly set: Partial<DeliveryDocument>;
  /** The attempt just made, appended to the record's log. */
  readonly attempt?: DeliveryAttemptRecord;
}

/** Only what a notifier needs in memory to schedule a delivery (its body is read when it is sent). */
export type PendingDelivery = Pick<
  DeliveryDocument,
  | '_id'
  | 'tenant'
  | 'subscriptionId'
  | 'ownSecret'
  | 'jobId'
  | 'eventType'
  | 'url'
  | 'endpoint'
  | 'body'
  | 'partition'
  | 'attempts'
  | 'nextAttemptAt'
  | 'eventAt'
  | 'replays'
  | 'trace'
>;

/**
 * The delivery records: written first by the fan-out (before its offsets are committed), then
 * after every attempt. Attempt results from many deliveries share bulk writes (group commit).
 * Every query is by equality — `_id`, or partition + state + one more field — which FerretDB
 * hands to PostgreSQL.
 */
export interface DeliveryStore {
  ensureIndexes(): Promise<void>;
  /** Insert new records; returns the ids that were new (a re-read after a crash finds them there). */
  insertNew(docs: readonly DeliveryDocument[]): Promise<Set<string>>;
  /** Insert one record (shared inserts with others); `duplicate` when it exists already. */
  record(doc: DeliveryDocument): Promise<'inserted' | 'duplicate'>;
  update(update: DeliveryUpdate): Promise<void>;
  /** Pending deliveries of a partition (when it is assigned to this notifier), at most `limit`. */
  pending(partition: number, limit: number): Promise<PendingDelivery[]>;
  /** Pending deliveries of a partition due in one minute, at most `limit`. */
  dueIn(partition: number, minute: number, limit: number): Promise<PendingDelivery[]>;
  /**
   * Pending deliveries of a partition to one endpoint (after some waited in MongoDB only), at
   * most `limit`, leaving out `except` (those the caller holds already).
   */
  pendingFor(
    partition: number,
    endpoint: string,
    limit: number,
    except: readonly string[],
    dueBefore: Date,
  ): Promise<PendingDelivery[]>;
  /**
   * Deliveries a replay re-queued in these partitions; each is claimed (its flag cleared) before
   * it is returned. Found through `webhook_replays`, which holds only replays not yet taken.
   */
  claimRequeued(partitions: ReadonlySet<number>): Promise<PendingDelivery[]>;
  /** Wait for the updates in flight. */
  drain(): Promise<void>;
}

const pendingFields = {
  _id: 1,
  tenant: 1,
  subscriptionId: 1,
  ownSecret: 1,
  jobId: 1,
  eventType: 1,
  url: 1,
  endpoint: 1,
  body: 1,
  partition: 1,
  attempts: 1,
  nextAttemptAt: 1,
  trace: 1,
  eventAt: 1,
  replays: 1,
} as const;

const INSERT_CHUNK = 500;
/** How long a replay entry whose delivery is not (yet) re-queued is kept: the API writes it first. */
const REPLAY_ENTRY_GRACE_MS = 30_000;

export function createDeliveryStore(db: Db): DeliveryStore {
  const deliveries = db.collection<DeliveryDocument>(collections.webhookDeliveries);
  const replays = db.collection<WebhookReplayDocument>(collections.webhookReplays);

  const updates = createGroupCommit<DeliveryUpdate, void>(
    async (batch) => {
      const ops: AnyBulkWriteOperation<DeliveryDocument>[] = batch.map((u) => ({
        updateOne: {
          filter: { _id: u.id },
          update: u.attempt ? { $set: u.set, $push: { log: u.attempt } } : { $set: u.set },
        },
      }));
      return perItem(
        batch.length,
        () => deliveries.bulkWrite(ops, { ordered: false }),
        undefined,
        (e) => new Error(`delivery update failed: ${e.errmsg ?? e.code}`),
      );
    },
    // Small: FerretDB runs the updates of one command at once, each holding a PostgreSQL
    // connection while it waits for a second; hundreds at once starve its pool for good.
    { maxBatch: 25, concurrency: 2 },
  );

  const insert = (docs: DeliveryDocument[]) =>
    perItem(
      docs.length,
      () => deliveries.insertMany(docs, { ordered: false }),
      'inserted' as const,
      (e) =>
        e.code === 11000 ? ('duplicate' as const) : new Error(`storing a delivery failed: ${e.errmsg ?? e.code}`),
    );
  const inserts = createGroupCommit<DeliveryDocument, 'inserted' | 'duplicate'>(insert, {
    maxBatch: 500,
    concurrency: 2,
  });

  // One batch holds the whole answer, so the server closes the cursor at once: FerretDB keeps a
  // PostgreSQL connection for every open cursor, and enough of them starve every other query.
  const find = (filter: Record<string, unknown>, limit: number) =>
    deliveries.find(filter, { projection: pendingFields, limit, batchSize: limit }).toArray() as Promise<
      PendingDelivery[]
    >;

  return {
    async ensureIndexes() {
      const ttl = (await hasTtlIndexes(db)) ? [deliveriesTtlIndex] : [];
      await ensureIndexes(deliveries, [...webhookIndexes.deliveries, ...ttl]);
    },

    async insertNew(docs) {
      const inserted = new Set<string>();
      for (let i = 0; i < docs.length; i += INSERT_CHUNK) {
        const chunk = docs.slice(i, i + INSERT_CHUNK);
        const results = await insert(chunk);
        const failure = results.find((r) => r instanceof Error);
        if (failure) throw failure;
        chunk.forEach((d, j) => {
          if (results[j] === 'inserted') inserted.add(d._id);
        });
      }
      return inserted;
    },

    record: (doc) => inserts.submit(doc),
    update: (u) => updates.submit(u),
    pending: (partition, limit) => find({ partition, state: 'pending' }, limit),
    dueIn: (partition, minute, limit) => find({ partition, state: 'pending', dueMinute: minute }, limit),
    // Only the equalities reach PostgreSQL on FerretDB; it applies the rest itself.
    pendingFor: (partition, endpoint, limit, except, dueBefore) =>
      find(
        {
          partition,
          state: 'pending',
          endpoint,
          nextAttemptAt: { $lt: dueBefore },
          ...(except.length > 0 ? { _id: { $nin: except } } : {}),
        },
        limit,
      ),

    async claimRequeued(partitions) {
      if (partitions.size === 0) return [];
      // The whole (small) collection in one read, filtered here: one query per poll, not one per partition.
      const entries = (await replays.find({}, { limit: 1_000, batchSize: 1_000 }).toArray()).filter((e) =>
        partitions.has(e.partition),
      );
      const claimed: PendingDelivery[] = [];
      for (const entry of entries) {
        const d = (await deliveries.findOne(
          { _id: entry._id, state: 'pending', requeued: true },
          { projection: pendingFields },
        )) as PendingDelivery | null;
        if (d) {
          // Not one findOneAndUpdate: tried, and on FerretDB 1.24 the replay was never sent (cause not looked into).
          const res = await deliveries.updateOne({ _id: d._id, requeued: true }, { $set: { requeued: false } });
          if (res.modifiedCount === 1) claimed.push(d);
        } else if (Date.now() - entry.at.getTime() < REPLAY_ENTRY_GRACE_MS) {
          // Its delivery may not be put back yet (the API writes the entry first): look again.
          continue;
        }
        await replays.deleteOne({ _id: entry._id });
      }
      return claimed;
    },

    async drain() {
      await inserts.drain();
      await updates.drain();
    },
  };
}

/** An unordered bulk write's result per item: `ok`, or what `failed` makes of its write error. */
async function perItem<R>(
  count: number,
  run: () => Promise<unknown>,
  ok: R,
  failed: (e: WriteError) => R | Error,
): Promise<(R | Error)[]> {
  try {
    await run();
    return Array.from({ length: count }, () => ok);
  } catch (err) {
    if (!(err instanceof MongoBulkWriteError)) throw err;
    const errors = new Map<number, WriteError>();
    for (const e of [err.writeErrors].flat()) errors.set(e.index, e);
    return Array.from({ length: count }, (_, i) => {
      const e = errors.get(i);
      return e ? failed(e) : ok;
    });
  }
}
