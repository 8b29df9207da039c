import { Counter, Gauge, Histogram, type Metrics } from '@longhaul/telemetry';

/** Every metric this service exports, declared in one place (dashboards and alerts use these names). */
export function createNotifierMetrics(metrics: Metrics) {
  const registers = [metrics.registry];
  return {
    messagesConsumed: new Counter({
      name: 'longhaul_notifier_messages_consumed_total',
      help: 'Messages this notifier took from its input topic, by topic.',
      labelNames: ['topic'] as const,
      registers,
    }),
    poisonMessages: new Counter({
      name: 'longhaul_notifier_poison_messages_total',
      help: 'Messages on the state topic that were not state changes (skipped).',
      registers,
    }),
    deliveriesScheduled: new Counter({
      name: 'longhaul_webhook_deliveries_scheduled_total',
      help: 'Deliveries fanned out from state changes and stored (one per change and subscription).',
      registers,
    }),
    attempts: new Counter({
      name: 'longhaul_webhook_attempts_total',
      help: 'Delivery attempts, by outcome (delivered, retry, gone, failed) and HTTP status class (none: no answer).',
      labelNames: ['outcome', 'status_class'] as const,
      registers,
    }),
    attemptDuration: new Histogram({
      name: 'longhaul_webhook_attempt_duration_seconds',
      help: 'How long one delivery attempt took, by outcome.',
      labelNames: ['outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
      registers,
    }),
    eventToDelivery: new Histogram({
      name: 'longhaul_webhook_event_to_delivery_seconds',
      help: 'From the state change to its delivery, for deliveries that succeeded at the first attempt.',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    finished: new Counter({
      name: 'longhaul_webhook_deliveries_total',
      help: 'Deliveries that reached a final state: delivered, failed, dead, collapsed or skipped.',
      labelNames: ['state'] as const,
      registers,
    }),
    retriesScheduled: new Counter({
      name: 'longhaul_webhook_retries_scheduled_total',
      help: 'Failed attempts that were scheduled to be tried again.',
      registers,
    }),
    deadLetters: new Counter({
      name: 'longhaul_webhook_dead_letters_total',
      help: 'Deliveries that failed every attempt and went to the webhook dead-letter topic.',
      registers,
    }),
    subscriptionsDisabled: new Counter({
      name: 'longhaul_webhook_subscriptions_disabled_total',
      help: 'Subscriptions the notifier disabled, by reason (gone: a 410; failing: failing for too long).',
      labelNames: ['reason'] as const,
      registers,
    }),
    inMemory: new Gauge({
      name: 'longhaul_webhook_deliveries_in_memory',
      help: 'Deliveries this notifier holds in memory, by where they are: ready (queued for a slot), waiting (for their time), sending.',
      labelNames: ['where'] as const,
      registers,
    }),
    inFlight: new Gauge({
      name: 'longhaul_webhook_attempts_in_flight',
      help: 'Delivery attempts in flight in this notifier.',
      registers,
    }),
  };
}

export type NotifierMetrics = ReturnType<typeof createNotifierMetrics>;
