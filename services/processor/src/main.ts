/**
 * The processor: runs the jobs of `jobs.requested` as one member of the processor consumer group.
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
import { loadProcessorConfig } from './config';
import { createProcessorBatchHandler } from './consume';
import { createProcessorMetrics } from './metrics';

void runService({
  name: 'processor',
  loadConfig: () => loadProcessorConfig(process.env),
  logLevel: (c) => c.logLevel,
  shutdownTimeoutMs: (c) => c.shutdownTimeoutMs,
  async start(config, ctx) {
    const ops = await startOpsServer({ host: config.bindHost, port: config.opsPort, handler: createOpsHandler(ctx) });
    ctx.lifecycle.onShutdown('close', 'ops-server', () => closeServer(ops));

    const topics = topicSpecs(config);
    const infra = await connectInfrastructure('processor', config, [topics.requested], ctx);
    await startConsumerMember(
      {
        kafka: infra.kafka,
        groupId: `${config.topicPrefix}processor`,
        topics: [topics.requested.topic],
        eachBatch: createProcessorBatchHandler({ metrics: createProcessorMetrics(ctx.metrics) }),
      },
      ctx,
    );
  },
});
