/**
 * The projector: applies the lifecycle events of `jobs.events` to the job read model.
 * Composition root. Until its issue lands it is the consumer skeleton: it joins its group and
 * acknowledges what it reads.
 */
import { acknowledgingHandler, runConsumerService } from '@longhaul/runtime';
import { loadProjectorConfig } from './config';
import { createProjectorMetrics } from './metrics';

void runConsumerService({
  name: 'projector',
  loadConfig: () => loadProjectorConfig(process.env),
  input: (topics) => topics.events,
  createHandler: (_infra, ctx) => {
    const metrics = createProjectorMetrics(ctx.metrics);
    return acknowledgingHandler((topic) => metrics.messagesConsumed.inc({ topic }));
  },
});
