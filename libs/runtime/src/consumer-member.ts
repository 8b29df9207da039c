import {
  createConsumerRunner,
  type ConsumerRunner,
  type ConsumerRunnerOptions,
  type EachBatchPayload,
  type Kafka,
} from '@longhaul/kafka';
import { instrumentConsumer } from './kafka-metrics';
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
    /** Names its readiness check and shutdown step; a service with several consumers names each. */
    name?: string;
    /** Called with the runner before it starts consuming (an owner that pauses and commits needs it). */
    beforeStart?: (runner: ConsumerRunner) => void;
  } & Pick<
    ConsumerRunnerOptions,
    'autoCommit' | 'config' | 'fromBeginning' | 'onJoin' | 'onRebalancing' | 'partitionsConsumedConcurrently'
  >,
  ctx: ServiceContext,
): Promise<ConsumerRunner> {
  const runner = createServiceConsumer(opts, ctx, opts.name);
  const name = opts.name ?? 'consumer';
  ctx.readiness.add(`${name}-group`, () => ({
    ok: runner.isReady(),
    detail: runner.isReady() ? `member of ${opts.groupId}` : `not a member of ${opts.groupId}`,
  }));
  ctx.lifecycle.onShutdown('drain', name, () => runner.stop());
  opts.beforeStart?.(runner);
  await runner.start();
  return runner;
}

/**
 * A consumer runner of a service: it logs as the service's `name` component, and a consumer that
 * cannot be started again after a crash (see createConsumerRunner) shuts the service down (its
 * supervisor starts it again).
 */
export function createServiceConsumer(
  opts: Omit<ConsumerRunnerOptions, 'logger' | 'onFatal'>,
  ctx: ServiceContext,
  name = 'consumer',
): ConsumerRunner {
  const runner = createConsumerRunner({
    ...opts,
    logger: ctx.logger.child({ component: name }),
    onFatal: (err) => {
      ctx.logger.fatal({ err }, 'consumer stopped for good');
      void ctx.lifecycle.shutdown('consumer crashed', 1);
    },
  });
  instrumentConsumer(ctx.metrics.registry, runner.consumer, opts.groupId);
  return runner;
}
