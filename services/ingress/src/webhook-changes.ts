import type { Logger } from '@longhaul/runtime';
import type { Db } from '@longhaul/mongo';
import { bumpWebhookChanges } from '@longhaul/webhooks';

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
  return {
    async bump() {
      try {
        await bumpWebhookChanges(db);
      } catch (err) {
        logger.warn({ err }, 'could not bump the webhook changes marker; notifiers reload later');
      }
    },
  };
}
