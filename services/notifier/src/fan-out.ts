import { PoisonMessageError, type EventCodec, type JobStateChanged } from '@longhaul/contracts';
import type { EachBatchPayload } from '@longhaul/kafka';
import type { Logger } from '@longhaul/runtime';
import { minuteOf, webhookId, webhookPayload, type DeliveryDocument } from '@longhaul/webhooks';
import type { DeliveryStore } from './delivery/delivery-store';
import type { Dispatcher } from './delivery/dispatcher';
import type { NotifierMetrics } from './metrics';
import type { SubscriptionDirectory } from './subscriptions';

export interface FanOutDeps {
  readonly codec: EventCodec;
  readonly directory: SubscriptionDirectory;
  readonly store: DeliveryStore;
  readonly dispatcher: Dispatcher;
  readonly metrics: NotifierMetrics;
  readonly logger: Logger;
  /** How long a pending record is kept at most: the whole retry schedule plus the retention. */
  readonly pendingTtlMs: number;
}

/**
 * The notifier's consumer: each batch of accepted state changes becomes one delivery record per
 * matching subscription (and the job's own webhook), stored before the batch's offsets are
 * committed — so nothing is lost between Kafka and HTTP — and then handed to the dispatcher.
 * A record's id is the `webhook-id`, derived from the change and the subscription, so a batch
 * read again after a crash finds its records there and adds nothing.
 */
export function createFanOut(deps: FanOutDeps) {
  return async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0) return;
    await deps.directory.refresh();
    const docs: DeliveryDocument[] = [];
    const now = new Date();
    for (const message of batch.messages) {
      deps.metrics.messagesConsumed.inc({ topic: batch.topic });
      let change: JobStateChanged;
      try {
        const event = await deps.codec.decode(message);
        if (event.eventType !== 'JobStateChanged') continue;
        change = event;
      } catch (err) {
        if (!(err instanceof PoisonMessageError)) throw err;
        deps.metrics.poisonMessages.inc();
        deps.logger.warn(
          { err: err.message, partition: batch.partition, offset: message.offset },
          'skipped a message that is not a state change',
        );
        continue;
      }
      const body = webhookPayload(change);
      if (!body) continue;
      const text = JSON.stringify(body);
      for (const target of deps.directory.targets(change, body.type)) {
        let endpoint: string;
        try {
          endpoint = new URL(target.url).origin;
        } catch {
          continue; // checked when it was given; a URL that does not parse cannot be delivered
        }
        docs.push({
          _id: webhookId(change.eventId, target.subscriptionId),
          tenant: change.tenant,
          subscriptionId: target.subscriptionId,
          jobId: change.jobId,
          eventType: body.type,
          sequence: change.version,
          url: target.url,
          endpoint,
          body: text,
          partition: batch.partition,
          state: 'pending',
          attempts: 0,
          nextAttemptAt: now,
          dueMinute: minuteOf(now),
          requeued: false,
          log: [],
          eventAt: new Date(change.time),
          createdAt: now,
          updatedAt: now,
          finishedAt: null,
          replays: 0,
          expiresAt: new Date(now.getTime() + deps.pendingTtlMs),
          expiresHour: null,
        });
      }
    }
    if (!payload.isRunning() || payload.isStale()) return;
    const inserted = docs.length === 0 ? new Set<string>() : await deps.store.insertNew(docs);
    deps.metrics.deliveriesScheduled.inc(inserted.size);
    payload.resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
    await payload.heartbeat();
    deps.dispatcher.add(docs.filter((d) => inserted.has(d._id)));
  };
}
