import { collections, createFencedTransitions, type Db } from '@longhaul/mongo';
import type { StoredSecret, SubscriptionDocument } from '@longhaul/webhooks';
import { storeCall } from './store-call';
import type { WebhookChanges } from './webhook-changes';

/** A bound on subscriptions per tenant: each one is a fan-out target of every job event. */
export const MAX_SUBSCRIPTIONS_PER_TENANT = 100;

export const SUBSCRIPTION_ID_PATTERN = /^wh_[0-9A-HJKMNP-TV-Z]{26}$/;

export type SubscriptionChange = Partial<
  Pick<
    SubscriptionDocument,
    'url' | 'events' | 'description' | 'enabled' | 'disabledReason' | 'disabledAt' | 'failingSince'
  >
>;

export interface SubscriptionStore {
  /** False when the tenant already has the most subscriptions allowed. */
  create(doc: SubscriptionDocument): Promise<boolean>;
  /** The tenant's subscriptions, newest first. */
  list(tenant: string): Promise<SubscriptionDocument[]>;
  get(id: string, tenant: string): Promise<SubscriptionDocument | null>;
  update(doc: SubscriptionDocument, change: SubscriptionChange, now: Date): Promise<SubscriptionDocument>;
  remove(id: string, tenant: string): Promise<boolean>;
  /** Replace the secrets of `doc` as it was read; false when another rotation got there first. */
  rotate(doc: SubscriptionDocument, secrets: StoredSecret[], now: Date): Promise<boolean>;
}

/**
 * Tenant webhook subscriptions (ingress writes them; the notifier reads them and sets only
 * `failingSince`, `lastDeliveredAt` and its own disabling). Reads are by `_id` or by tenant
 * equality (what FerretDB serves without a scan), sorted here. Every write bumps the changes
 * marker.
 */
export function createSubscriptionStore(db: Db, changes: WebhookChanges): SubscriptionStore {
  const subscriptions = db.collection<SubscriptionDocument>(collections.webhookSubscriptions);
  // FerretDB's conditional updates are not atomic; a rotation is won by inserting its fence.
  const fences = createFencedTransitions(db, subscriptions, collections.webhookFences);
  const changed = async <T>(result: T): Promise<T> => {
    await changes.bump();
    return result;
  };

  return {
    async create(doc) {
      // Checked before the insert, so racing creates may pass the bound by the few in flight.
      const count = await storeCall(() => subscriptions.countDocuments({ tenant: doc.tenant }));
      if (count >= MAX_SUBSCRIPTIONS_PER_TENANT) return false;
      await storeCall(() => subscriptions.insertOne(doc));
      return changed(true);
    },
    async list(tenant) {
      const docs = await storeCall(() => subscriptions.find({ tenant }).toArray());
      return docs.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a._id < b._id ? 1 : -1));
    },
    async get(id, tenant) {
      if (!SUBSCRIPTION_ID_PATTERN.test(id)) return null;
      // By `_id` alone; another tenant's subscription is exactly as absent as an unknown one.
      const doc = await storeCall(() => subscriptions.findOne({ _id: id }));
      return doc?.tenant === tenant ? doc : null;
    },
    async update(doc, change, now) {
      // Only the fields the caller changed: the notifier writes others of the same document.
      const set = { ...change, updatedAt: now };
      await storeCall(() => subscriptions.updateOne({ _id: doc._id, tenant: doc.tenant }, { $set: set }));
      return changed({ ...doc, ...set });
    },
    async remove(id, tenant) {
      if (!SUBSCRIPTION_ID_PATTERN.test(id)) return false;
      const res = await storeCall(() => subscriptions.deleteOne({ _id: id, tenant }));
      return res.deletedCount > 0 ? changed(true) : false;
    },
    async rotate(doc, secrets, now) {
      const current = doc.secrets.find((s) => s.expiresAt === null)?.createdAt ?? doc.createdAt;
      const won = await storeCall(() =>
        // Out of the document as it was read: a late loser never rolls an old rotation forward
        // over a newer one.
        fences.transition(
          doc._id,
          `rotate/${current.getTime()}`,
          { updatedAt: doc.updatedAt },
          { secrets, updatedAt: now },
        ),
      );
      return won ? changed(true) : false;
    },
  };
}
