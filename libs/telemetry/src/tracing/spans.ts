import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';
import { contextFromHeaders, headersOfContext, type IncomingHeaders, type TraceHeaders } from './propagation';
import { tracingEnabled } from './state';
import { scrubSecrets } from '../redact';

export { SpanKind };
export type { Attributes };

/** A span that Longhaul code starts by hand (a job's run, a projection, a delivery attempt). */
export interface TracedSpan {
  /** Headers naming this span as the parent of what is produced under it. */
  readonly headers: TraceHeaders;
  /** Run `fn` with this span active: spans of instrumented calls and log lines inside belong to it. */
  run<T>(fn: () => T): T;
  event(name: string, attributes?: Attributes): void;
  set(attributes: Attributes): void;
  /** End it; an error marks it failed (its message only: causes may carry more than we show). */
  end(error?: unknown): void;
}

export interface SpanOptions {
  /** The parent's trace context: headers of a message or record (without one: the active context). */
  readonly parent?: IncomingHeaders | undefined;
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  /** Contexts this span is about without being their child (a batch covering several). */
  readonly links?: readonly (IncomingHeaders | undefined)[];
}

const MAX_LINKS = 128;

function linksOf(headers: SpanOptions['links']): Link[] {
  const links: Link[] = [];
  for (const h of headers ?? []) {
    const span = h && trace.getSpan(contextFromHeaders(h));
    if (span && trace.isSpanContextValid(span.spanContext())) links.push({ context: span.spanContext() });
    if (links.length >= MAX_LINKS) break;
  }
  return links;
}

/**
 * Start a span, or nothing at all while tracing is off — so a hot path pays one boolean check.
 * The parent is the context in `parent` headers (a message's or a stored record's) when they
 * carry one, else the active context.
 */
export function startSpan(name: string, opts: SpanOptions = {}): TracedSpan | undefined {
  if (!tracingEnabled()) return undefined;
  const carried = opts.parent && contextFromHeaders(opts.parent);
  const parent: Context = carried && trace.getSpan(carried) ? carried : context.active();
  const span: Span = trace
    .getTracer('longhaul')
    .startSpan(
      name,
      { kind: opts.kind ?? SpanKind.INTERNAL, attributes: opts.attributes ?? {}, links: linksOf(opts.links) },
      parent,
    );
  const active = trace.setSpan(parent, span);
  let ended = false;
  return {
    headers: headersOfContext(active),
    run: (fn) => context.with(active, fn),
    event: (eventName, attributes) => span.addEvent(eventName, attributes),
    set: (attributes) => span.setAttributes(attributes),
    end(error) {
      if (ended) return;
      ended = true;
      if (error !== undefined) {
        const message = error instanceof Error ? error.message : typeof error === 'string' ? error : 'failed';
        span.setStatus({ code: SpanStatusCode.ERROR, message: scrubSecrets(message) });
      }
      span.end();
    },
  };
}
