/**
 * The projector: applies the lifecycle events of `jobs.events` to the job read model.
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
import { loadProjectorConfig } from './config';
import { createProjectorBatchHandler } from './consume';
import { createProjectorMetrics } from './metrics';

void runService({
  name: 'projector',
  loadConfig: () => loadProjectorConfig(process.env),
  logLevel: (c) => c.logLevel,
  shutdownTimeoutMs: (c) => c.shutdownTimeoutMs,
  async start(config, ctx) {
    const ops = await startOpsServer({ host: config.bindHost, port: config.opsPort, handler: createOpsHandler(ctx) });
    ctx.lifecycle.onShutdown('close', 'ops-server', () => closeServer(ops));

    const topics = topicSpecs(config);
    const infra = await connectInfrastructure('projector', config, [topics.events], ctx);
    await startConsumerMember(
      {
        kafka: infra.kafka,
        groupId: `${config.topicPrefix}projector`,
        topics: [topics.events.topic],
        eachBatch: createProjectorBatchHandler({ metrics: createProjectorMetrics(ctx.metrics) }),
      },
      ctx,
    );
  },
});
