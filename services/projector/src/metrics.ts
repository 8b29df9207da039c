import { Counter, Histogram, type Metrics } from '@longhaul/telemetry';

/** Every metric this service exports, declared in one place (dashboards and alerts use these names). */
export function createProjectorMetrics(metrics: Metrics) {
  const registers = [metrics.registry];
  return {
    messagesConsumed: new Counter({
      name: 'longhaul_projector_messages_consumed_total',
      help: 'Messages this projector took from its input topics, by topic.',
      labelNames: ['topic'] as const,
      registers,
    }),
    eventsApplied: new Counter({
      name: 'longhaul_projector_events_applied_total',
      help: 'Events applied to the read model, by event type.',
      labelNames: ['event_type'] as const,
      registers,
    }),
    eventsIgnored: new Counter({
      name: 'longhaul_projector_events_ignored_total',
      help: 'Events that changed nothing, by reason (duplicate, stale, final, progress-behind, not-projected, poison).',
      labelNames: ['reason'] as const,
      registers,
    }),
    batchEvents: new Histogram({
      name: 'longhaul_projector_batch_events',
      help: 'Events per bulk write.',
      buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000],
      registers,
    }),
    writeSeconds: new Histogram({
      name: 'longhaul_projector_write_seconds',
      help: 'Time to read, apply and durably write one batch.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    writeFailures: new Counter({
      name: 'longhaul_projector_write_failures_total',
      help: 'Batches that could not be written or announced (retried until they are).',
      registers,
    }),
    projectionLagSeconds: new Histogram({
      name: 'longhaul_projector_projection_lag_seconds',
      help: 'From an event being emitted to it being applied to the read model.',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    }),
    statesPublished: new Counter({
      name: 'longhaul_projector_states_published_total',
      help: 'State changes published to the state topic (re-publications after a crash included).',
      registers,
    }),
    jobsExpired: new Counter({
      name: 'longhaul_projector_jobs_expired_total',
      help: 'Final jobs removed by the retention sweeper (with every record of them in other stores).',
      registers,
    }),
    sweepFailures: new Counter({
      name: 'longhaul_projector_sweep_failures_total',
      help: 'Retention sweeps that failed (the next one picks up where it stopped).',
      registers,
    }),
  };
}

export type ProjectorMetrics = ReturnType<typeof createProjectorMetrics>;
