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
  update(update: DeliveryUpdate): Promise<void>;
  /** Every pending delivery of a partition (when it is assigned to this notifier). */
  pending(partition: number): Promise<PendingDelivery[]>;
  /** Pending deliveries of a partition due in one minute. */
  dueIn(partition: number, minute: number): Promise<PendingDelivery[]>;
  /** Pending deliveries of a partition to one endpoint (after some waited in MongoDB only). */
  pendingFor(partition: number, endpoint: string): Promise<PendingDelivery[]>;
  /** Deliveries a replay re-queued; each is claimed (its flag cleared) before it is returned. */
  claimRequeued(partition: number): Promise<PendingDelivery[]>;
  /** Wait for the updates in flight. */
  drain(): Promise<void>;
}

const pendingFields = {
  _id: 1,
  tenant: 1,
  subscriptionId: 1,
  jobId: 1,
  eventType: 1,
  url: 1,
  endpoint: 1,
  body: 1,
  partition: 1,
  attempts: 1,
  nextAttemptAt: 1,
  eventAt: 1,
  replays: 1,
} as const;

const INSERT_CHUNK = 500;

export function createDeliveryStore(db: Db): DeliveryStore {
  const deliveries = db.collection<DeliveryDocument>(collections.webhookDeliveries);

  const updates = createGroupCommit<DeliveryUpdate, void>(
    async (batch) => {
      const ops: AnyBulkWriteOperation<DeliveryDocument>[] = batch.map((u) => ({
        updateOne: {
          filter: { _id: u.id },
          update: u.attempt ? { $set: u.set, $push: { log: u.attempt } } : { $set: u.set },
        },
      }));
      try {
        await deliveries.bulkWrite(ops, { ordered: false });
        return batch.map(() => undefined);
      } catch (err) {
        if (!(err instanceof MongoBulkWriteError)) throw err;
        const failed = new Map<number, WriteError>();
        for (const e of [err.writeErrors].flat()) failed.set(e.index, e);
        return batch.map((_, i) => {
          const e = failed.get(i);
          return e ? new Error(`delivery update failed: ${e.errmsg ?? e.code}`) : undefined;
        });
      }
    },
    { maxBatch: 500, concurrency: 2 },
  );

  const find = (filter: Record<string, unknown>) =>
    deliveries.find(filter, { projection: pendingFields }).toArray() as Promise<PendingDelivery[]>;

  return {
    async ensureIndexes() {
      const ttl = (await hasTtlIndexes(db)) ? [deliveriesTtlIndex] : [];
      await ensureIndexes(deliveries, [...webhookIndexes.deliveries, ...ttl]);
    },

    async insertNew(docs) {
      const inserted = new Set<string>();
      for (let i = 0; i < docs.length; i += INSERT_CHUNK) {
        const chunk = docs.slice(i, i + INSERT_CHUNK);
        const duplicates = new Set<number>();
        try {
          await deliveries.insertMany([...chunk], { ordered: false });
        } catch (err) {
          if (!(err instanceof MongoBulkWriteError)) throw err;
          const errors = [err.writeErrors].flat();
          const other = errors.find((e) => e.code !== 11000);
          if (other) throw new Error(`storing deliveries failed: ${other.errmsg ?? other.code}`, { cause: err });
          for (const e of errors) duplicates.add(e.index);
        }
        chunk.forEach((d, j) => {
          if (!duplicates.has(j)) inserted.add(d._id);
        });
      }
      return inserted;
    },

    update: (u) => updates.submit(u),
    pending: (partition) => find({ partition, state: 'pending' }),
    dueIn: (partition, minute) => find({ partition, state: 'pending', dueMinute: minute }),
    pendingFor: (partition, endpoint) => find({ partition, state: 'pending', endpoint }),

    async claimRequeued(partition) {
      const found = await find({ partition, state: 'pending', requeued: true });
      const claimed: PendingDelivery[] = [];
      for (const d of found) {
        const res = await deliveries.updateOne({ _id: d._id, requeued: true }, { $set: { requeued: false } });
        if (res.modifiedCount === 1) claimed.push(d);
      }
      return claimed;
    },

    drain: () => updates.drain(),
  };
}
