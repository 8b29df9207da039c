import { PoisonMessageError, type EventCodec, type JobStateChanged } from '@longhaul/contracts';
import {
  commitLedgers,
  PartitionLedger,
  type Consumer,
  type EachBatchPayload,
  type KafkaMessage,
} from '@longhaul/kafka';
import type { Logger } from '@longhaul/runtime';
import { traceHeadersFrom, tracingEnabled } from '@longhaul/telemetry';
import { JOB_SUBSCRIPTION, minuteOf, webhookId, webhookPayload, type DeliveryDocument } from '@longhaul/webhooks';
import type { DeliveryStore } from './delivery/delivery-store';
import type { Dispatcher, NewDelivery } from './delivery/dispatcher';
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
  readonly commitEveryMs?: number;
}

/**
 * After gaining a partition, messages another member may already have fanned out (its
 * uncommitted tail) are stored before they are sent, so what it recorded is not sent again.
 */
const CAREFUL_MS = 5_000;

/**
 * The notifier's consumer: each accepted state change becomes one delivery per matching
 * subscription (and the job's own webhook). A delivery's id is the `webhook-id`, derived from
 * the change and the subscription, so the same change read twice makes the same deliveries.
 *
 * Nothing is lost between Kafka and HTTP: a message's offset is committed only once every one
 * of its deliveries is stored (PartitionLedger: up to the oldest message not yet stored). A
 * delivery is stored once, with its first attempt's outcome — or as pending, if that attempt
 * takes longer than the dispatcher waits — so a healthy endpoint costs one insert per delivery.
 * Messages read again (after a rebalance, or another member's uncommitted tail) take the
 * careful path instead: stored first, and sent only if they were not there yet.
 */
export function createFanOut(deps: FanOutDeps) {
  const ledgers = new Map<number, { ledger: PartitionLedger; lastTracked: bigint }>();
  const carefulUntil = new Map<number, number>();
  let consumer: Consumer | null = null;
  let topic = '';
  let generation = 0;

  function deliveriesOf(
    change: JobStateChanged,
    partition: number,
    now: Date,
    headers: KafkaMessage['headers'],
  ): DeliveryDocument[] {
    const body = webhookPayload(change);
    if (!body) return [];
    const trace = tracingEnabled() ? traceHeadersFrom(headers) : {};
    const text = JSON.stringify(body);
    const docs: DeliveryDocument[] = [];
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
        ownSecret: target.subscriptionId === JOB_SUBSCRIPTION && change.webhook?.hasSecret === true,
        jobId: change.jobId,
        eventType: body.type,
        sequence: change.version,
        url: target.url,
        endpoint,
        body: text,
        partition,
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
        ...(trace['traceparent'] ? { trace } : {}),
      });
    }
    return docs;
  }

  async function decode(message: KafkaMessage, partition: number): Promise<JobStateChanged | null> {
    try {
      const event = await deps.codec.decode(message);
      return event.eventType === 'JobStateChanged' ? event : null;
    } catch (err) {
      if (!(err instanceof PoisonMessageError)) throw err;
      deps.metrics.poisonMessages.inc();
      deps.logger.warn(
        { err: err.message, partition, offset: message.offset },
        'skipped a message that is not a state change',
      );
      return null;
    }
  }

  async function commit(): Promise<void> {
    if (!consumer) return;
    const gen = generation;
    const entries = [...ledgers].map(([partition, { ledger }]) => ({ topic, partition, ledger }));
    try {
      await commitLedgers(consumer, entries, () => gen === generation);
    } catch (err) {
      deps.logger.debug({ err }, 'committing offsets failed; will retry');
    }
  }
  const timer = setInterval(() => void commit(), deps.commitEveryMs ?? 200);
  timer.unref();

  return {
    attach(c: Consumer, stateTopic: string) {
      consumer = c;
      topic = stateTopic;
    },

    /** The partitions owned now: lost ones are forgotten, gained ones start careful. */
    assigned(partitions: readonly number[]) {
      generation++;
      const now = Date.now();
      for (const p of [...ledgers.keys()]) if (!partitions.includes(p)) ledgers.delete(p);
      for (const p of partitions) {
        if (!ledgers.has(p)) {
          ledgers.set(p, { ledger: new PartitionLedger(), lastTracked: -1n });
          carefulUntil.set(p, now + CAREFUL_MS);
        }
      }
    },

    async eachBatch(payload: EachBatchPayload): Promise<void> {
      const { batch } = payload;
      if (batch.messages.length === 0) return;
      await deps.directory.refresh();
      const now = new Date();
      const entry = ledgers.get(batch.partition);
      if (!entry) return; // not (or no longer) ours
      const careful = Date.now() < (carefulUntil.get(batch.partition) ?? 0);
      const fresh: NewDelivery[] = [];
      const stored: DeliveryDocument[] = [];
      const storedOffsets: bigint[] = [];
      for (const message of batch.messages) {
        deps.metrics.messagesConsumed.inc({ topic: batch.topic });
        const change = await decode(message, batch.partition);
        const docs = change ? deliveriesOf(change, batch.partition, now, message.headers) : [];
        const offset = BigInt(message.offset);
        if (careful || offset <= entry.lastTracked) {
          stored.push(...docs);
          storedOffsets.push(offset);
          continue;
        }
        entry.ledger.track(offset);
        entry.lastTracked = offset;
        let left = docs.length;
        if (left === 0) entry.ledger.finish(offset);
        for (const doc of docs) {
          fresh.push({
            doc,
            onRecorded: () => {
              if (--left === 0) entry.ledger.finish(offset);
            },
          });
        }
      }
      if (!payload.isRunning() || payload.isStale()) return;
      if (stored.length > 0) {
        // Stored first: only those not there yet are sent.
        const inserted = await deps.store.insertNew(stored);
        deps.metrics.deliveriesScheduled.inc(inserted.size);
        deps.dispatcher.add(stored.filter((d) => inserted.has(d._id)));
      }
      // Their deliveries are stored now: committable. That includes a message an earlier read
      // tracked but stopped short of handing on (the batch went stale, or a decode failed).
      for (const offset of storedOffsets) {
        if (offset > entry.lastTracked) {
          entry.ledger.track(offset);
          entry.lastTracked = offset;
        }
        entry.ledger.finish(offset);
      }
      deps.metrics.deliveriesScheduled.inc(fresh.length);
      deps.dispatcher.addNew(fresh);
      payload.resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
      await payload.heartbeat();
    },

    /** Store every delivery not yet stored and commit: before the member leaves its group. */
    async flush(): Promise<void> {
      await deps.dispatcher.recordAll();
      await commit();
    },

    stop() {
      clearInterval(timer);
    },
  };
}

export type FanOut = ReturnType<typeof createFanOut>;
