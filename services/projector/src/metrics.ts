import { Counter, type Metrics } from '@longhaul/telemetry';

/** Every metric this service exports, declared in one place (dashboards and alerts use these names). */
export function createProjectorMetrics(metrics: Metrics) {
  return {
    messagesConsumed: new Counter({
      name: 'longhaul_projector_messages_consumed_total',
      help: 'Messages this projector took from its input topic, by topic.',
      labelNames: ['topic'] as const,
      registers: [metrics.registry],
    }),
  };
}

export type ProjectorMetrics = ReturnType<typeof createProjectorMetrics>;
