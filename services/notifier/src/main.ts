/**
 * The notifier: delivers the accepted state changes of `jobs.state` to webhook subscribers.
 * Composition root: config → infrastructure → consumer → ops server; shutdown in phases.
 */
import { topicSpecs } from '@longhaul/kafka';
import {
  connectInfrastructure,
  createOpsHandler,
  closeServer,
  runService,
  startConsumerMember,
  startOpsServer,
} from '@longhaul/runtime';
import { loadNotifierConfig } from './config';
import { createNotifierBatchHandler } from './consume';
import { createNotifierMetrics } from './metrics';

void runService({
  name: 'notifier',
  loadConfig: () => loadNotifierConfig(process.env),
  logLevel: (c) => c.logLevel,
  shutdownTimeoutMs: (c) => c.shutdownTimeoutMs,
  async start(config, ctx) {
    const ops = await startOpsServer({ host: config.bindHost, port: config.opsPort, handler: createOpsHandler(ctx) });
    ctx.lifecycle.onShutdown('close', 'ops-server', () => closeServer(ops));

    const topics = topicSpecs(config);
    const infra = await connectInfrastructure('notifier', config, [topics.state], ctx);
    await startConsumerMember(
      {
        kafka: infra.kafka,
        groupId: `${config.topicPrefix}notifier`,
        topics: [topics.state.topic],
        eachBatch: createNotifierBatchHandler({ metrics: createNotifierMetrics(ctx.metrics) }),
      },
      ctx,
    );
  },
});
