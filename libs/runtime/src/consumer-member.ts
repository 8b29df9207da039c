import { createConsumerRunner, type ConsumerRunner, type EachBatchPayload, type Kafka } from '@longhaul/kafka';
import type { ServiceContext } from './run-service';

/**
 * Join a consumer group as one member of a service: ready only while joined, and on shutdown
 * it finishes the batch in hand, commits, and leaves the group (handing its partitions back)
 * in the 'drain' phase, before producers are flushed and connections closed.
 */
export async function startConsumerMember(
  opts: {
    kafka: Kafka;
    groupId: string;
    topics: readonly string[];
    eachBatch: (payload: EachBatchPayload) => Promise<void>;
  },
  ctx: ServiceContext,
): Promise<ConsumerRunner> {
  const runner = createConsumerRunner({
    kafka: opts.kafka,
    groupId: opts.groupId,
    topics: opts.topics,
    logger: ctx.logger.child({ component: 'consumer' }),
    eachBatch: opts.eachBatch,
    onFatal: (err) => {
      ctx.logger.fatal({ err }, 'consumer stopped for good');
      void ctx.lifecycle.shutdown('consumer crashed', 1);
    },
  });
  ctx.readiness.add('consumer-group', () => ({
    ok: runner.isReady(),
    detail: runner.isReady() ? `member of ${opts.groupId}` : `not a member of ${opts.groupId}`,
  }));
  ctx.lifecycle.onShutdown('drain', 'consumer', () => runner.stop());
  await runner.start();
  return runner;
}
