import { Counter, Histogram, type Metrics } from '@longhaul/telemetry';

/** Every metric this service exports, declared in one place (dashboards and alerts use these names). */
export function createIngressMetrics(metrics: Metrics, opts: { tenants: readonly string[] }) {
  const registers = [metrics.registry];
  const allowed = new Set(opts.tenants);
  return {
    /** The `tenant` label value: the tenant's name if it is on the allow-list, else `other`. */
    tenantLabel: (tenant: string): string => (allowed.has(tenant) ? tenant : 'other'),
    httpRequests: new Counter({
      name: 'longhaul_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status code.',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'longhaul_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method, route template and status code.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    jobsAccepted: new Counter({
      name: 'longhaul_jobs_accepted_total',
      help: 'Jobs accepted (answered 202 for the first time), by job type and tenant (allow-listed, else "other").',
      labelNames: ['type', 'tenant'] as const,
      registers,
    }),
    publishDuration: new Histogram({
      name: 'longhaul_kafka_publish_duration_seconds',
      help: 'Time for the broker to acknowledge (acks=all) an event ingress produced, by outcome.',
      labelNames: ['outcome'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    relayed: new Counter({
      name: 'longhaul_acceptances_relayed_total',
      help: 'Acceptance records left unpublished (a crash mid-request) that the relay published.',
      registers,
    }),
  };
}

export type IngressMetrics = ReturnType<typeof createIngressMetrics>;
