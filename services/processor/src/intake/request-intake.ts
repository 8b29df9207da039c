import {
  commitLedgers,
  PartitionLedger,
  type Consumer,
  type EachBatchPayload,
  type KafkaMessage,
} from '@longhaul/kafka';
import type { Logger } from '@longhaul/runtime';
import type { ProcessorMetrics } from '../metrics';
import type { Slots } from './slots';

/** One request message taken from a partition; `done()` lets its offset be committed. */
export interface Delivery {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly message: KafkaMessage;
  /** False once a rebalance has replaced the assignment it came with (its new owner handles it). */
  isCurrent(): boolean;
  done(): void;
}

export interface RequestIntake {
  /** The consumer's batch handler: takes messages while there is room, and hands them on. */
  eachBatch(payload: EachBatchPayload): Promise<void>;
  attach(consumer: Consumer): void;
  /** A rebalance is starting: commit what is finished while the generation still accepts it. */
  onRebalancing(): void;
  /** A new assignment: forget the old one (its messages will be delivered again). */
  onAssigned(): void;
  /** Stop taking messages (shutdown). */
  stop(): void;
  commit(): Promise<void>;
  close(): void;
}

/**
 * Runs work off the fetch loop: eachBatch returns at once, the consumer keeps heartbeating,
 * and a message is committed only when it and all before it in its partition are finished.
 * Fetching pauses when every intake slot is taken, and per partition when `maxUncommitted` messages
 * are taken but not committable (finished ones waiting behind a long job), so lag overcounts
 * finished work by at most that bound.
 */
export function createRequestIntake(deps: {
  /** The topics consumed (requests and their retry copies), paused and resumed together. */
  topics: readonly string[];
  /** One per request taken in and not yet handled (the intake limit, not the handler concurrency). */
  slots: Slots;
  /** How long eachBatch waits for a slot before pausing (kept well below the session timeout). */
  slotWaitMs: number;
  maxUncommitted: number;
  commitEveryMs: number;
  handle: (delivery: Delivery) => void;
  logger: Logger;
  metrics: ProcessorMetrics;
}): RequestIntake {
  let consumer: Consumer | undefined;
  let generation = 0;
  let stopping = false;
  let fullPause = false;
  const ledgers = new Map<string, { topic: string; partition: number; ledger: PartitionLedger }>();
  const boundPaused = new Set<string>();
  const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

  function ledgerFor(topic: string, partition: number): PartitionLedger {
    const k = key(topic, partition);
    let entry = ledgers.get(k);
    if (!entry) {
      entry = { topic, partition, ledger: new PartitionLedger() };
      ledgers.set(k, entry);
    }
    return entry.ledger;
  }

  function pauseAll(): void {
    if (fullPause || !consumer) return;
    fullPause = true;
    consumer.pause(deps.topics.map((topic) => ({ topic })));
  }

  function resumeAll(): void {
    if (!fullPause || !consumer || stopping) return;
    fullPause = false;
    consumer.resume(deps.topics.map((topic) => ({ topic })));
    // Resuming a topic resumes all its partitions: keep the over-bound ones paused.
    for (const k of boundPaused) {
      const e = ledgers.get(k);
      if (e) consumer.pause([{ topic: e.topic, partitions: [e.partition] }]);
    }
  }

  deps.slots.onFree(() => {
    if (fullPause) resumeAll();
  });

  async function commit(): Promise<void> {
    deps.metrics.uncommitted.set([...ledgers.values()].reduce((n, e) => n + e.ledger.size, 0));
    if (!consumer) return;
    const gen = generation;
    try {
      if (await commitLedgers(consumer, ledgers.values(), () => gen === generation)) deps.metrics.commits.inc();
    } catch (err) {
      deps.logger.debug({ err }, 'committing offsets failed; will retry');
    }
  }
  const timer = setInterval(() => void commit(), deps.commitEveryMs);

  return {
    attach(c) {
      consumer = c;
    },
    async eachBatch(payload) {
      const { batch } = payload;
      if (stopping) return;
      const k = key(batch.topic, batch.partition);
      if (boundPaused.has(k)) return;
      const ledger = ledgerFor(batch.topic, batch.partition);
      const gen = generation;
      for (const message of batch.messages) {
        if (!payload.isRunning() || payload.isStale() || stopping || gen !== generation) break;
        if (ledger.size >= deps.maxUncommitted) {
          boundPaused.add(k);
          payload.pause();
          break;
        }
        // A full pod waits here briefly for a slot (short jobs free one within milliseconds),
        // and pauses only past that: with every partition paused kafkajs sleeps a whole fetch
        // wait before it looks again, which capped one process at ~67 jobs/s at 16 slots.
        if (!deps.slots.tryAcquire() && !(await deps.slots.acquireWithin(deps.slotWaitMs))) {
          pauseAll();
          break;
        }
        if (!payload.isRunning() || payload.isStale() || stopping || gen !== generation) {
          deps.slots.release();
          break;
        }
        const offset = BigInt(message.offset);
        ledger.track(offset);
        payload.resolveOffset(message.offset);
        deps.metrics.messagesConsumed.inc({ topic: batch.topic });
        deps.handle({
          topic: batch.topic,
          partition: batch.partition,
          offset: message.offset,
          message,
          isCurrent: () => gen === generation && !stopping,
          done: () => {
            if (gen !== generation) return;
            ledger.finish(offset);
            if (boundPaused.has(k) && ledger.size < deps.maxUncommitted) {
              boundPaused.delete(k);
              if (!fullPause && !stopping) consumer?.resume([{ topic: batch.topic, partitions: [batch.partition] }]);
            }
          },
        });
      }
      await payload.heartbeat();
    },
    onRebalancing() {
      deps.metrics.rebalances.inc();
      void commit();
    },
    onAssigned() {
      generation += 1;
      ledgers.clear();
      boundPaused.clear();
      fullPause = false;
      // kafkajs keeps pauses across a rebalance; the new assignment starts unpaused.
      if (consumer && !stopping) consumer.resume(consumer.paused());
      if (deps.slots.inUse >= deps.slots.limit) pauseAll();
    },
    stop() {
      stopping = true;
      try {
        consumer?.pause(deps.topics.map((topic) => ({ topic })));
      } catch {
        // Not running (it stopped, or never started): nothing is fetched to pause.
      }
    },
    commit,
    close() {
      clearInterval(timer);
    },
  };
}
