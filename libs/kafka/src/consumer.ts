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
  /** Called when kafkajs gives up on the consumer (a crash it will not restart from). */
  readonly onFatal: (err: Error) => void;
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
    if (!restart && !stopped) opts.onFatal(error);
  });

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
      // Offsets are resolved by the handler, message by message: a batch cut short by a
      // rebalance or shutdown must not commit what it did not finish.
      await consumer.run({
        eachBatchAutoResolve: false,
        autoCommit: opts.autoCommit ?? true,
        partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? 1,
        eachBatch: opts.eachBatch,
      });
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
