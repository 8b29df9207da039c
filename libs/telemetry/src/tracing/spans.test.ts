import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeTraceFields, activeTraceHeaders, contextFromHeaders } from './propagation';
import { SpanKind, startSpan } from './spans';
import { startTracing } from './start';

const CALLER = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('spans while tracing is off', () => {
  it('start nothing and carry nothing', () => {
    expect(startSpan('run sleep')).toBeUndefined();
    expect(activeTraceHeaders()).toEqual({});
    expect(activeTraceFields()).toEqual({});
  });
});

describe('spans while tracing is on', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: ReturnType<typeof startTracing>;
  beforeAll(() => {
    tracing = startTracing({ service: 'test', spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  });
  afterAll(() => tracing.shutdown());
  // The simple processor exports once the resource is settled: a moment after the span ends.
  const finished = async () => {
    await new Promise((r) => setTimeout(r, 20));
    return exporter.getFinishedSpans();
  };

  it('continue the trace of the headers they are given, and pass themselves on', async () => {
    const span = startSpan('run sleep', { parent: { traceparent: Buffer.from(CALLER) }, kind: SpanKind.CONSUMER });
    expect(span).toBeDefined();
    expect(span!.headers['traceparent']).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    const inside = span!.run(() => ({ headers: activeTraceHeaders(), fields: activeTraceFields() }));
    expect(inside.headers).toEqual(span!.headers);
    expect(inside.fields.trace_id).toBe('0af7651916cd43dd8448eb211c80319c');
    span!.event('progress', { percent: 50 });
    span!.end(new Error('boom'));
    span!.end(); // idempotent

    const spans = await finished();
    expect(spans).toHaveLength(1);
    const [done] = spans;
    expect(done!.name).toBe('run sleep');
    expect(done!.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(done!.events.map((e) => e.name)).toEqual(['progress']);
    expect(done!.status.message).toBe('boom');
  });

  it('link the contexts a batch covers, and start a new trace without a parent', async () => {
    exporter.reset();
    const other = '00-11111111111111111111111111111111-2222222222222222-01';
    const span = startSpan('project', { links: [{ traceparent: CALLER }, { traceparent: other }, undefined] });
    span!.end();
    const [done] = await finished();
    expect(done!.links.map((l) => l.context.traceId)).toEqual([
      '0af7651916cd43dd8448eb211c80319c',
      '11111111111111111111111111111111',
    ]);
    expect(done!.spanContext().traceId).not.toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('read malformed or oversized headers as no context', async () => {
    expect(activeTraceFields()).toEqual({});
    const span = startSpan('x', { parent: { traceparent: 'garbage', tracestate: 'a'.repeat(600) } });
    span!.end();
    expect(contextFromHeaders({ traceparent: Buffer.alloc(600, 'a') })).toBeDefined();
    const [, done] = await finished();
    expect(done!.parentSpanContext).toBeUndefined();
  });
});
