import { collections, type Db } from '@longhaul/mongo';
import type { Logger } from '@longhaul/runtime';
import { JOB_SUBSCRIPTION, type DisabledReason, type SubscriptionDocument } from '@longhaul/webhooks';
import type { NotifierMetrics } from '../metrics';
import { disabledFields, type SubscriptionDirectory } from '../subscriptions';

/** How often a healthy subscription's `lastDeliveredAt` is written at most. */
const LAST_DELIVERED_EVERY_MS = 60_000;

/**
 * A subscription's health as the API shows it: `failingSince` (the first failure since the last
 * success), `lastDeliveredAt`, and disabling — on a 410, or when every attempt has failed for
 * `disableAfterMs`. A job's own webhook that answers 410 gets no more deliveries.
 */
export interface SubscriptionHealth {
  succeeded(subscriptionId: string, at: Date): Promise<void>;
  failed(subscriptionId: string, at: Date): Promise<void>;
  gone(subscriptionId: string, jobId: string, at: Date): Promise<void>;
}

export function createSubscriptionHealth(
  db: Db,
  directory: SubscriptionDirectory,
  opts: { disableAfterMs: number; metrics: NotifierMetrics; logger: Logger },
): SubscriptionHealth {
  const subscriptions = db.collection<SubscriptionDocument>(collections.webhookSubscriptions);

  async function disable(id: string, reason: DisabledReason, at: Date): Promise<void> {
    const fields = disabledFields(reason, at);
    const res = await subscriptions.updateOne({ _id: id, enabled: true }, { $set: fields });
    directory.patchLocal(id, fields);
    if (res.modifiedCount === 0) return;
    opts.metrics.subscriptionsDisabled.inc({ reason });
    opts.logger.warn({ subscription: id, reason }, 'disabled a webhook subscription');
    await directory.bump();
  }

  return {
    async succeeded(id, at) {
      if (id === JOB_SUBSCRIPTION) return;
      const s = directory.get(id);
      if (!s) return;
      const stale = !s.lastDeliveredAt || at.getTime() - s.lastDeliveredAt.getTime() >= LAST_DELIVERED_EVERY_MS;
      if (s.failingSince === null && !stale) return;
      directory.patchLocal(id, { failingSince: null, lastDeliveredAt: at });
      await subscriptions.updateOne({ _id: id }, { $set: { failingSince: null, lastDeliveredAt: at } });
    },

    async failed(id, at) {
      if (id === JOB_SUBSCRIPTION) return;
      const s = directory.get(id);
      if (!s?.enabled) return;
      if (s.failingSince === null) {
        directory.patchLocal(id, { failingSince: at });
        await subscriptions.updateOne({ _id: id, failingSince: null }, { $set: { failingSince: at } });
        return;
      }
      if (at.getTime() - s.failingSince.getTime() >= opts.disableAfterMs) await disable(id, 'failing', at);
    },

    async gone(id, jobId, at) {
      if (id === JOB_SUBSCRIPTION) {
        directory.markJobGone(jobId);
        return;
      }
      await disable(id, 'gone', at);
    },
  };
}
