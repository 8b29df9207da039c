import type { ClientRequest, IncomingMessage } from 'node:http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KoaInstrumentation, KoaLayerType } from '@opentelemetry/instrumentation-koa';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { tracingConfigured } from './configured';
import { markTracingEnabled } from './state';

export interface Tracing {
  readonly enabled: boolean;
  /** Export what is buffered and stop (a shutdown step: after the producers, before close). */
  shutdown(): Promise<void>;
}

/** Probes and scrapes: a span per /readyz every few seconds would bury the jobs. */
const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

function pathOf(url: string | undefined): string {
  const q = url?.indexOf('?') ?? -1;
  return q < 0 ? (url ?? '') : url!.slice(0, q);
}

/**
 * A webhook URL's query may hold the subscriber's own token: the client span names the URL
 * without it (the instrumentation only redacts a few well-known signature parameters).
 */
function withoutQuery(span: { setAttribute(k: string, v: string): unknown }, request: ClientRequest): void {
  if (!request.path.includes('?')) return;
  span.setAttribute('url.full', `${request.protocol}//${request.host}${pathOf(request.path)}`);
  span.setAttribute('url.query', '[redacted]');
}

/**
 * Start the OpenTelemetry SDK — before the modules it instruments are loaded (see the services'
 * `tracing.ts`). Configured only by the standard OTEL_* variables; off unless they name an exporter
 * or an OTLP endpoint (`tracingConfigured`). `spanProcessors` is for tests.
 */
export function startTracing(opts: {
  service: string;
  env?: NodeJS.ProcessEnv;
  spanProcessors?: SpanProcessor[];
}): Tracing {
  const env = opts.env ?? process.env;
  if (!opts.spanProcessors && !tracingConfigured(env)) return { enabled: false, shutdown: () => Promise.resolve() };
  const sdk = new NodeSDK({
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (the env detector) override this default.
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': opts.service })),
    // Metrics are prom-client's and logs go to stdout: the SDK exports traces only.
    metricReaders: [],
    logRecordProcessors: [],
    ...(opts.spanProcessors ? { spanProcessors: opts.spanProcessors } : {}),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req: IncomingMessage) => OPS_PATHS.has(pathOf(req.url)),
        requestHook: (span, request) => {
          if ('setHeader' in request && typeof request.setHeader === 'function') withoutQuery(span, request);
        },
      }),
      // Router spans name the route; a span per middleware would only add cost.
      new KoaInstrumentation({ ignoreLayersType: [KoaLayerType.MIDDLEWARE] }),
      new MongoDBInstrumentation(),
    ],
  });
  sdk.start();
  markTracingEnabled(true);
  return {
    enabled: true,
    async shutdown() {
      markTracingEnabled(false);
      await sdk.shutdown();
    },
  };
}
