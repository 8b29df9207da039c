import { Counter, type Metrics } from '@longhaul/telemetry';

/** Every metric this service exports, declared in one place (dashboards and alerts use these names). */
export function createNotifierMetrics(metrics: Metrics) {
  return {
    messagesConsumed: new Counter({
      name: 'longhaul_notifier_messages_consumed_total',
      help: 'Messages this notifier took from its input topic, by topic.',
      labelNames: ['topic'] as const,
      registers: [metrics.registry],
    }),
  };
}

export type NotifierMetrics = ReturnType<typeof createNotifierMetrics>;
