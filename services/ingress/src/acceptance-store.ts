import type { Collection, Db } from '@longhaul/mongo';
import { collections } from '@longhaul/mongo';

/**
 * Acceptance records: the outbox behind every `202`. One is written (state `pending`) before
 * `JobRequested` is produced, marked `published` once the broker acknowledged it, or
 * `rejected` when the request was answered 503 — a compare-and-set, so a relay that
 * republishes stranded records and a request that gives up can never both win.
 */
export type AcceptanceState = 'pending' | 'published' | 'rejected';

export interface AcceptanceRecord {
  _id: string;
  tenant: string;
  type: string;
  state: AcceptanceState;
  createdAt: Date;
  publishedAt: Date | null;
  rejectedAt: Date | null;
  cancelRequestedAt: Date | null;
  /** Everything needed to (re)publish the very same JobRequested. */
  request: {
    eventId: string;
    payload: string;
    maxAttempts: number;
    timeoutMs: number;
    webhook: { url: string; events: string[]; sealedSecret: string | null } | null;
    traceHeaders: Record<string, string>;
  };
  /** Set while a relay republishes it, so two replicas do not both do so. */
  relayLeaseUntil: Date | null;
}

export interface AcceptanceStore {
  insert(record: AcceptanceRecord): Promise<void>;
  find(id: string, tenant: string): Promise<AcceptanceRecord | null>;
  /** pending → published; false when it was not pending any more. */
  markPublished(id: string): Promise<boolean>;
  /** pending → rejected; false when something (the relay) published it first. */
  reject(id: string): Promise<boolean>;
  /** Set the cancel flag once; returns the record after, or null when not this tenant's. */
  requestCancel(id: string, tenant: string, at: Date): Promise<AcceptanceRecord | null>;
  /** Claim pending records older than `olderThan` for republication, one at a time. */
  claimStranded(olderThan: Date, leaseMs: number): Promise<AcceptanceRecord | null>;
}

export async function createAcceptanceStore(db: Db): Promise<AcceptanceStore> {
  const coll: Collection<AcceptanceRecord> = db.collection<AcceptanceRecord>(collections.acceptances);
  await coll.createIndex({ state: 1, createdAt: 1 });
  return {
    async insert(record) {
      await coll.insertOne(record);
    },
    find: (id, tenant) => coll.findOne({ _id: id, tenant }),
    async markPublished(id) {
      const res = await coll.updateOne(
        { _id: id, state: 'pending' },
        { $set: { state: 'published', publishedAt: new Date(), relayLeaseUntil: null } },
      );
      return res.modifiedCount === 1;
    },
    async reject(id) {
      const res = await coll.updateOne(
        { _id: id, state: 'pending' },
        { $set: { state: 'rejected', rejectedAt: new Date() } },
      );
      return res.modifiedCount === 1;
    },
    async requestCancel(id, tenant, at) {
      await coll.updateOne(
        { _id: id, tenant, state: { $ne: 'rejected' }, cancelRequestedAt: null },
        { $set: { cancelRequestedAt: at } },
      );
      return coll.findOne({ _id: id, tenant, state: { $ne: 'rejected' } });
    },
    async claimStranded(olderThan, leaseMs) {
      const now = new Date();
      return coll.findOneAndUpdate(
        {
          state: 'pending',
          createdAt: { $lt: olderThan },
          $or: [{ relayLeaseUntil: null }, { relayLeaseUntil: { $lt: now } }],
        },
        { $set: { relayLeaseUntil: new Date(now.getTime() + leaseMs) } },
        { sort: { createdAt: 1 }, returnDocument: 'after' },
      );
    },
  };
}
