import { Counter, Gauge, Histogram, type Metrics } from '@longhaul/telemetry';

/** Every metric this service exports, declared in one place (dashboards and alerts use these names). */
export function createProcessorMetrics(metrics: Metrics) {
  const registers = [metrics.registry];
  const byType = ['type'] as const;
  return {
    messagesConsumed: new Counter({
      name: 'longhaul_processor_messages_consumed_total',
      help: 'Messages this processor took from its input topics, by topic.',
      labelNames: ['topic'] as const,
      registers,
    }),
    jobsStarted: new Counter({
      name: 'longhaul_processor_jobs_started_total',
      help: 'Runs started (first starts, takeovers and retries), by job type.',
      labelNames: byType,
      registers,
    }),
    jobsSucceeded: new Counter({
      name: 'longhaul_processor_jobs_succeeded_total',
      help: 'Jobs that succeeded, by job type.',
      labelNames: byType,
      registers,
    }),
    jobsFailed: new Counter({
      name: 'longhaul_processor_jobs_failed_total',
      help: 'Jobs failed for good, by job type.',
      labelNames: byType,
      registers,
    }),
    jobsRetried: new Counter({
      name: 'longhaul_processor_jobs_retried_total',
      help: 'Failed attempts with a retry scheduled, by job type.',
      labelNames: byType,
      registers,
    }),
    jobsCancelled: new Counter({
      name: 'longhaul_processor_jobs_cancelled_total',
      help: 'Jobs cancelled, by job type.',
      labelNames: byType,
      registers,
    }),
    jobsDeadLettered: new Counter({
      name: 'longhaul_processor_jobs_dead_lettered_total',
      help: 'Jobs sent to the dead-letter topic, by job type.',
      labelNames: byType,
      registers,
    }),
    takeovers: new Counter({
      name: 'longhaul_processor_takeovers_total',
      help: 'Runs taken over from an expired or handed-back lease, by job type.',
      labelNames: byType,
      registers,
    }),
    poisonMessages: new Counter({
      name: 'longhaul_processor_poison_messages_total',
      help: 'Messages that could not be run and were dead-lettered, by topic.',
      labelNames: ['topic'] as const,
      registers,
    }),
    parked: new Counter({
      name: 'longhaul_processor_jobs_parked_total',
      help: 'Requests of a paused job type moved to the retry topic to wait, by job type.',
      labelNames: byType,
      registers,
    }),
    inFlight: new Gauge({
      name: 'longhaul_processor_jobs_in_flight',
      help: 'Runs in progress in this process.',
      registers,
    }),
    jobDuration: new Histogram({
      name: 'longhaul_processor_job_duration_seconds',
      help: 'How long a run took, by job type and outcome.',
      labelNames: ['type', 'outcome'] as const,
      buckets: [0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers,
    }),
    queueWait: new Histogram({
      name: 'longhaul_processor_queue_wait_seconds',
      help: 'From acceptance to the first start of a job, by job type.',
      labelNames: byType,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 120],
      registers,
    }),
    rebalances: new Counter({
      name: 'longhaul_processor_rebalances_total',
      help: 'Consumer group rebalances this member went through.',
      registers,
    }),
    uncommitted: new Gauge({
      name: 'longhaul_processor_uncommitted_messages',
      help: 'Messages taken but not yet committed (running, waiting, or finished behind an unfinished one): commit lag.',
      registers,
    }),
    commits: new Counter({
      name: 'longhaul_processor_offset_commits_total',
      help: 'Offset commits of completed work.',
      registers,
    }),
  };
}

export type ProcessorMetrics = ReturnType<typeof createProcessorMetrics>;
