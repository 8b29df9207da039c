/**
 * The notifier: delivers the accepted state changes of `jobs.state` to webhook subscribers.
 * Composition root. Until its issue lands it is the consumer skeleton: it joins its group and
 * acknowledges what it reads.
 */
import { acknowledgingHandler, runConsumerService } from '@longhaul/runtime';
import { loadNotifierConfig } from './config';
import { createNotifierMetrics } from './metrics';

void runConsumerService({
  name: 'notifier',
  loadConfig: () => loadNotifierConfig(process.env),
  input: (topics) => topics.state,
  createHandler: (_infra, ctx) => {
    const metrics = createNotifierMetrics(ctx.metrics);
    return acknowledgingHandler((topic) => metrics.messagesConsumed.inc({ topic }));
  },
});
