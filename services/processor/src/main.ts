/**
 * The processor: runs the jobs of `jobs.requested` as one member of the processor consumer group.
 * Composition root. Until its issue lands it is the consumer skeleton: it joins its group and
 * acknowledges what it reads.
 */
import { acknowledgingHandler, runConsumerService } from '@longhaul/runtime';
import { loadProcessorConfig } from './config';
import { createProcessorMetrics } from './metrics';

void runConsumerService({
  name: 'processor',
  loadConfig: () => loadProcessorConfig(process.env),
  input: (topics) => topics.requested,
  createHandler: (_infra, ctx) => {
    const metrics = createProcessorMetrics(ctx.metrics);
    return acknowledgingHandler((topic) => metrics.messagesConsumed.inc({ topic }));
  },
});
