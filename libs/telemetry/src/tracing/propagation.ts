import { context, propagation, ROOT_CONTEXT, trace, type Context, type TextMapGetter } from '@opentelemetry/api';

/** W3C trace context as message headers: `traceparent` and, when there is one, `tracestate`. */
export type TraceHeaders = Record<string, string>;

/** Header values as they come: strings (HTTP, our own records) or Buffers (kafkajs). */
export type IncomingHeaders = Readonly<Record<string, unknown>>;

const MAX_HEADER = 512;

function text(value: unknown): string | undefined {
  const v = Array.isArray(value) ? (value as unknown[])[0] : value;
  if (typeof v === 'string') return v.length <= MAX_HEADER ? v : undefined;
  if (Buffer.isBuffer(v)) return v.length <= MAX_HEADER ? v.toString() : undefined;
  return undefined;
}

const headerGetter: TextMapGetter<IncomingHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => text(carrier[key]),
};

/** The context carried by a message's or record's headers (the root context when none is). */
export function contextFromHeaders(headers: IncomingHeaders | undefined): Context {
  return headers ? propagation.extract(ROOT_CONTEXT, headers, headerGetter) : ROOT_CONTEXT;
}

/** The headers that carry a context onward. */
export function headersOfContext(ctx: Context): TraceHeaders {
  const out: TraceHeaders = {};
  propagation.inject(ctx, out);
  return out;
}

/** The W3C headers of a message (Buffers or strings), checked and as strings: `{}` when it has none. */
export function traceHeadersFrom(headers: IncomingHeaders | undefined): TraceHeaders {
  return headersOfContext(contextFromHeaders(headers));
}

/** The headers that carry the active context onward (none while tracing is off). */
export function activeTraceHeaders(): TraceHeaders {
  return headersOfContext(context.active());
}

/** `trace_id` and `span_id` of the active span, for log lines (empty when none is active). */
export function activeTraceFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return trace.isSpanContextValid(span.spanContext()) ? { trace_id: traceId, span_id: spanId } : {};
}

/**
 * `trace_id` from a `traceparent` header, for a logger bound to one job where no span is active
 * (tracing off, but the caller sent a trace context; or work outside the job's spans).
 */
export function traceIdOf(headers: IncomingHeaders | undefined): { trace_id?: string } {
  const m = /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(text(headers?.['traceparent']) ?? '');
  return m?.[1] && !/^0+$/.test(m[1]) ? { trace_id: m[1] } : {};
}
