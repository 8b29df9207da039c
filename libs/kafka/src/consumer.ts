import type { Consumer, ConsumerConfig, EachBatchPayload, Kafka } from 'kafkajs';
import type { KafkaLogSink } from './client';

export interface ConsumerRunnerOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly logger: KafkaLogSink;
  readonly eachBatch: (payload: EachBatchPayload) => Promise<void>;
  readonly fromBeginning?: boolean;
  readonly config?: Omit<ConsumerConfig, 'groupId'>;
  /**
   * Commit resolved offsets automatically (the default). Off, resolveOffset only moves the fetch
   * position and the owner commits with `consumer.commitOffsets` (work that outlives a batch).
   */
  readonly autoCommit?: boolean;
  /** How many partitions' batches run at once (kafkajs default 1). */
  readonly partitionsConsumedConcurrently?: number;
  /** A rebalance is starting (this member's partitions are about to be revoked). */
  readonly onRebalancing?: () => void;
  /** Joined with a (new) assignment. */
  readonly onJoin?: (assignment: Record<string, number[]>) => void;
  /**
   * Called when the consumer is gone for good: kafkajs gave up on it (a crash it does not restart
   * from) and starting it again here kept failing for `rejoin.giveUpAfterMs`.
   */
  readonly onFatal: (err: Error) => void;
  /** Starting again after such a crash: first delay, doubling up to `maxDelayMs`, until `giveUpAfterMs`. */
  readonly rejoin?: { firstDelayMs?: number; maxDelayMs?: number; giveUpAfterMs?: number };
}

export interface ConsumerRunner {
  readonly consumer: Consumer;
  start(): Promise<void>;
  /** Leave the group after the batch in hand is finished, handing the partitions back. */
  stop(): Promise<void>;
  /** Joined the group and has not crashed or stopped since. */
  isReady(): boolean;
  assignedPartitions(): Record<string, number[]>;
}

/** A consumer-group member that knows whether it is really consuming, for /readyz. */
export function createConsumerRunner(opts: ConsumerRunnerOptions): ConsumerRunner {
  const consumer = opts.kafka.consumer({
    sessionTimeout: 30_000,
    rebalanceTimeout: 60_000,
    heartbeatInterval: 3_000,
    ...opts.config,
    groupId: opts.groupId,
  });
  let joined = false;
  let stopped = false;
  let assignment: Record<string, number[]> = {};

  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    joined = true;
    assignment = e.payload.memberAssignment;
    opts.logger.info({ groupId: opts.groupId, assignment }, 'joined consumer group');
    opts.onJoin?.(assignment);
  });
  consumer.on(consumer.events.REBALANCING, () => {
    joined = false;
    opts.onRebalancing?.();
  });
  consumer.on(consumer.events.STOP, () => {
    joined = false;
  });
  consumer.on(consumer.events.CRASH, (e) => {
    joined = false;
    const { error, restart } = e.payload;
    opts.logger.error({ groupId: opts.groupId, err: error, restart }, 'consumer crashed');
    if (!restart && !stopped) rejoin(error);
  });

  // Offsets are resolved by the handler, message by message: a batch cut short by a rebalance
  // or shutdown must not commit what it did not finish.
  const run = () =>
    consumer.run({
      eachBatchAutoResolve: false,
      autoCommit: opts.autoCommit ?? true,
      partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? 1,
      eachBatch: opts.eachBatch,
    });

  /**
   * kafkajs does not restart a consumer after some errors it takes for permanent, such as a
   * join refused while the broker restarts ("The coordinator is not aware of this member").
   * They pass: the same consumer (it has disconnected; its subscriptions and listeners stay) is
   * connected and run again, with backoff, so the process keeps its running work instead of
   * exiting. A crash while doing so is taken up by the same loop.
   */
  let rejoining = false;
  let crashedAgain = false;
  /** Set by a crash; kept while a restarted consumer crashes again within a minute (no endless loop). */
  let deadline = 0;
  let upSince = 0;
  const rejoinOpts = { firstDelayMs: 1_000, maxDelayMs: 30_000, giveUpAfterMs: 5 * 60_000, ...opts.rejoin };
  function rejoin(cause: Error): void {
    if (rejoining) {
      crashedAgain = true;
      return;
    }
    rejoining = true;
    if (deadline === 0 || Date.now() - upSince > 60_000) deadline = Date.now() + rejoinOpts.giveUpAfterMs;
    void (async () => {
      let last = cause;
      for (let delay = rejoinOpts.firstDelayMs; ; delay = Math.min(delay * 2, rejoinOpts.maxDelayMs)) {
        if (Date.now() + delay > deadline) break;
        await new Promise((r) => setTimeout(r, delay));
        if (stopped) break;
        crashedAgain = false;
        try {
          await consumer.connect();
          await run();
          if (crashedAgain || stopped) continue;
          opts.logger.warn({ groupId: opts.groupId }, 'consumer started again after a crash');
          upSince = Date.now();
          rejoining = false;
          return;
        } catch (err) {
          last = err as Error;
          opts.logger.warn({ groupId: opts.groupId, err, retryInMs: delay }, 'starting the consumer again failed');
          await consumer.disconnect().catch(() => undefined);
        }
      }
      rejoining = false;
      if (!stopped) opts.onFatal(last);
    })();
  }

  return {
    consumer,
    async start() {
      await consumer.connect();
      for (const topic of opts.topics) {
        await retryTransient(() => consumer.subscribe({ topic, fromBeginning: opts.fromBeginning ?? true }), {
          what: `subscribe to ${topic}`,
          logger: opts.logger,
        });
      }
      await run();
    },
    async stop() {
      stopped = true;
      joined = false;
      await consumer.disconnect();
    },
    isReady: () => joined && !stopped,
    assignedPartitions: () => assignment,
  };
}

/**
 * Retry an operation while it fails with an error kafkajs marks retriable (a topic created a
 * moment ago and not yet in this connection's metadata, a coordinator still loading), up to a
 * deadline; anything else, or the deadline, is rethrown.
 */
export async function retryTransient<T>(
  op: () => Promise<T>,
  opts: { what: string; logger: KafkaLogSink; timeoutMs?: number },
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
    try {
      return await op();
    } catch (err) {
      const e = err as { retriable?: unknown; originalError?: { retriable?: unknown } };
      const retriable = e.retriable === true || e.originalError?.retriable === true;
      if (!retriable || Date.now() + delay > deadline) throw err;
      opts.logger.warn({ err, retryInMs: delay }, `${opts.what} failed; retrying`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
