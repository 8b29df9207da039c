import { collections, type AnyBulkWriteOperation, type Db, type Filter } from '@longhaul/mongo';
import { minuteOf, type DeliveryDocument, type DeliveryState, type WebhookReplayDocument } from '@longhaul/webhooks';
import { insertMissing, storeCall } from './store-call';

/** A delivery as listed: everything but the body it sends. */
export type DeliveryRecord = Omit<DeliveryDocument, 'body'>;

/** Whose deliveries: one subscription's, or one job's (every subscription's), of a tenant. */
export type DeliveryScope = { subscriptionId: string; tenant: string } | { jobId: string; tenant: string };

export interface DeliveryStore {
  /** One page of a subscription's or a job's deliveries, newest first (see `deliveryPage`). */
  page(scope: DeliveryScope, q: DeliveryPageQuery): Promise<{ items: DeliveryRecord[]; next: Date | null }>;
  /** A subscription's deliveries in any of `states` created at or after `since`. */
  since(
    subscriptionId: string,
    tenant: string,
    states: readonly DeliveryState[],
    since: Date,
  ): Promise<DeliveryRecord[]>;
  get(id: string, tenant: string): Promise<DeliveryRecord | null>;
  /** Queue these deliveries again, each only if still in the state it was read in; how many were. */
  requeue(docs: readonly DeliveryRecord[], now: Date): Promise<number>;
}

/** A webhook-id (libs/webhooks `webhookId`). */
export const DELIVERY_ID_PATTERN = /^msg_[A-Za-z0-9_-]{1,64}$/;

/**
 * The notifier's delivery records, read for the API. Ingress changes them only to replay: it
 * writes an entry to `webhook_replays` (small; the notifier polls it), then puts the finished
 * delivery back to `pending`, due now, flagged `requeued`. The notifier that owns its partition
 * takes the entry, and the delivery if it is flagged (an entry whose delivery was not put back
 * is dropped once it is a while old; the entry comes first, so a flagged delivery always has
 * one). Pages are bounded by
 * the server (time range, sort, limit: the `subscription_created` index on MongoDB; FerretDB
 * filters by the equalities in PostgreSQL and does the rest itself).
 */
export function createDeliveryStore(db: Db): DeliveryStore {
  const deliveries = db.collection<DeliveryDocument>(collections.webhookDeliveries);
  const replays = db.collection<WebhookReplayDocument>(collections.webhookReplays);
  const withoutBody = { projection: { body: 0 } } as const;
  const newest = (filter: Filter<DeliveryDocument>, limit: number) =>
    deliveries.find(filter, withoutBody).sort({ createdAt: -1, _id: -1 }).limit(limit).toArray();
  return {
    page: (scope, q) =>
      storeCall(async () => {
        const filter: Filter<DeliveryDocument> = {
          ...scope,
          ...(q.state === undefined ? {} : { state: q.state }),
          ...(q.before ? { createdAt: { $lt: q.before } } : {}),
        };
        const docs = await newest(filter, q.limit + 1);
        const first = docs[0]?.createdAt.getTime();
        if (docs.length <= q.limit || docs[q.limit]!.createdAt.getTime() !== first) return deliveryPage(docs, q);
        // A run of equal times fills the page: it is taken whole, so read all of it, and one older.
        const at = docs[0]!.createdAt;
        const run = await deliveries.find({ ...filter, createdAt: at }, withoutBody).toArray();
        return deliveryPage([...run, ...(await newest({ ...filter, createdAt: { $lt: at } }, 1))], q);
      }),
    // One equality query per state rather than `$in`, which FerretDB would not push down.
    since: (subscriptionId, tenant, states, since) =>
      storeCall(async () => {
        const found = await Promise.all(
          states.map((state) =>
            deliveries.find({ subscriptionId, tenant, state, createdAt: { $gte: since } }, withoutBody).toArray(),
          ),
        );
        return found.flat();
      }),
    async get(id, tenant) {
      if (!DELIVERY_ID_PATTERN.test(id)) return null;
      const doc = await storeCall(() => deliveries.findOne({ _id: id }, withoutBody));
      return doc?.tenant === tenant ? doc : null;
    },
    async requeue(docs, now) {
      if (docs.length === 0) return 0;
      // Entries left by an earlier try of the same replay serve this one too.
      await storeCall(() =>
        insertMissing(
          replays,
          docs.map((d) => ({ _id: d._id, partition: d.partition, at: now })),
        ),
      );
      const ops: AnyBulkWriteOperation<DeliveryDocument>[] = docs.map((d) => ({
        updateOne: {
          filter: { _id: d._id, state: d.state },
          update: {
            $set: requeueFields(now),
            $inc: { replays: 1 },
          },
        },
      }));
      const res = await storeCall(() => deliveries.bulkWrite(ops, { ordered: false }));
      return res.modifiedCount;
    },
  };
}

/** A record back in the schedule: due now, flagged for the owning notifier, kept until it ends. */
function requeueFields(now: Date) {
  return {
    state: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    dueMinute: minuteOf(now),
    requeued: true,
    finishedAt: null,
    updatedAt: now,
    // The notifier sets the retention again when the delivery ends.
    expiresAt: new Date(now.getTime() + REQUEUED_KEEP_MS),
    expiresHour: null,
  } as const;
}
const REQUEUED_KEEP_MS = 30 * 86_400_000;

/** Requeued as the store does it, for the answer (without reading it back). */
export function requeued(doc: DeliveryRecord, now: Date): DeliveryRecord {
  return { ...doc, ...requeueFields(now), replays: doc.replays + 1 };
}

/** States a replay-since takes: the final failures. */
export const REPLAYABLE_SINCE: readonly DeliveryState[] = ['failed', 'dead'];

export interface DeliveryPageQuery {
  state?: DeliveryState;
  limit: number;
  /** Only deliveries created before this. */
  before?: Date;
}

/**
 * One page, newest first (createdAt, then id). Deliveries fanned out together share a
 * millisecond, and the cursor is a time: so a page never ends inside a run of equal times (it
 * stops before the run, or takes the whole run when the run alone fills it), and `next` is the
 * time of its last item.
 */
export function deliveryPage<T extends DeliveryRecord>(
  docs: readonly T[],
  q: DeliveryPageQuery,
): { items: T[]; next: Date | null } {
  const sorted = docs
    .filter((d) => (q.state === undefined || d.state === q.state) && (!q.before || d.createdAt < q.before))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a._id < b._id ? 1 : a._id > b._id ? -1 : 0));
  if (sorted.length <= q.limit) return { items: sorted, next: null };
  const boundary = sorted[q.limit]!.createdAt.getTime();
  let end = q.limit;
  while (end > 0 && sorted[end - 1]!.createdAt.getTime() === boundary) end--;
  if (end === 0) {
    end = q.limit;
    while (end < sorted.length && sorted[end]!.createdAt.getTime() === boundary) end++;
  }
  const items = sorted.slice(0, end);
  return { items, next: end < sorted.length ? items[items.length - 1]!.createdAt : null };
}
