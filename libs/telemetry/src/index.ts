import { Registry, collectDefaultMetrics } from 'prom-client';

export { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  /** Prometheus text exposition of every metric of this service. */
  render(): Promise<string>;
  readonly contentType: string;
}

/**
 * One registry per service (not prom-client's global one), so tests can build several
 * services in one process without their metrics colliding.
 */
export function createMetrics(opts: { service: string; prefix?: string }): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: opts.service });
  collectDefaultMetrics({ register: registry, prefix: opts.prefix ?? '' });
  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
  };
}

export { scrubSecrets } from './redact';
export { tracingConfigured } from './tracing/configured';
export { startTracing, type Tracing } from './tracing/start';
export { tracingEnabled } from './tracing/state';
export {
  activeTraceFields,
  activeTraceHeaders,
  contextFromHeaders,
  traceHeadersFrom,
  traceIdOf,
  type IncomingHeaders,
  type TraceHeaders,
} from './tracing/propagation';
export { SpanKind, startSpan, type Attributes, type SpanOptions, type TracedSpan } from './tracing/spans';
