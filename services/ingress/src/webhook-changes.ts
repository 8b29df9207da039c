import type { Logger } from '@longhaul/runtime';
import { collections, type Db } from '@longhaul/mongo';
import type { WebhookChangesDocument } from '@longhaul/webhooks';
import { isDuplicateKey } from './store-call';

export interface WebhookChanges {
  /** Tell notifiers that subscriptions or signing secrets changed, so they reload at once. */
  bump(): Promise<void>;
}

/**
 * The marker `{_id: 'subscriptions'}` every notifier watches. A failed bump does not undo the
 * change it announces (that is already written): it is logged, and the notifiers' periodic
 * reload catches up.
 */
export function createWebhookChanges(db: Db, logger: Logger): WebhookChanges {
  const marker = db.collection<WebhookChangesDocument>(collections.webhookChanges);
  const bumpOnce = () =>
    marker.updateOne(
      { _id: 'subscriptions' },
      { $inc: { version: 1 }, $set: { updatedAt: new Date() } },
      { upsert: true },
    );
  return {
    async bump() {
      try {
        try {
          await bumpOnce();
        } catch (err) {
          // Two first bumps may race to insert the marker; the loser's retry finds it.
          if (!isDuplicateKey(err)) throw err;
          await bumpOnce();
        }
      } catch (err) {
        logger.warn({ err }, 'could not bump the webhook changes marker; notifiers reload later');
      }
    },
  };
}
