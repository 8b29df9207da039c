import { Writable } from 'node:stream';
import { startSpan, startTracing } from '@longhaul/telemetry';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from './logger';

function capture(traceContext = false) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'test', destination, traceContext }) };
}

describe('the service logger', () => {
  it('redacts secret fields and scrubs secrets out of error messages and stacks', () => {
    const { lines, logger } = capture();
    const err = new Error(
      'auth failed for mongodb://app:hunter2@db:27017 with whsec_c2VjcmV0c2VjcmV0 (Bearer acme_key_0123456789abcdef)',
    );
    logger.error({ err, config: { apiKeys: 'acme:k', secretsKey: 'MDEy', mongoUrl: 'mongodb://u:p@h' } }, 'failed');
    logger.info({ headers: { authorization: 'Bearer acme_key_0123456789abcdef' }, secret: 'whsec_x' }, 'request');
    const text = JSON.stringify(lines);
    for (const s of ['hunter2', 'c2VjcmV0c2VjcmV0', 'acme_key_0123456789abcdef', 'MDEy', 'acme:k', 'u:p@h']) {
      expect(text).not.toContain(s);
    }
    expect((lines[0]!['err'] as { message: string }).message).toContain('mongodb://app:[redacted]@db:27017');
  });

  it('adds no trace fields without tracing', () => {
    const { lines, logger } = capture(true);
    logger.info('no span');
    expect(lines[0]).not.toHaveProperty('trace_id');
  });

  describe('with tracing', () => {
    const tracing = startTracing({
      service: 'test',
      spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })],
    });
    afterAll(() => tracing.shutdown());

    it('puts the active span’s trace_id and span_id on each line written inside it', () => {
      const { lines, logger } = capture(true);
      const span = startSpan('run', {
        parent: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      });
      span!.run(() => logger.info({ jobId: 'j1' }, 'inside'));
      logger.info('outside');
      span!.end();
      expect(lines[0]).toMatchObject({ jobId: 'j1', trace_id: '0af7651916cd43dd8448eb211c80319c' });
      expect(lines[0]!['span_id']).toMatch(/^[0-9a-f]{16}$/);
      expect(lines[1]).not.toHaveProperty('trace_id');
    });
  });
});
