import { describe, expect, it } from 'vitest';
import { createLifecycle } from './lifecycle';
import { createLogger } from './logger';
import { createReadiness } from './readiness';

const silent = createLogger({ service: 'test', level: 'silent' });

function setup(deadlineMs = 1_000) {
  const readiness = createReadiness();
  readiness.add('up', () => true);
  return { readiness, lifecycle: createLifecycle({ logger: silent, readiness, deadlineMs }) };
}

describe('lifecycle', () => {
  it('runs steps phase by phase whatever order they were added in, and reports not ready first', async () => {
    const { readiness, lifecycle } = setup();
    const order: string[] = [];
    lifecycle.onShutdown('close', 'db', () => void order.push('close db'));
    lifecycle.onShutdown('drain', 'consumer', async () => {
      order.push(`drain (ready: ${(await readiness.evaluate()).ready})`);
    });
    lifecycle.onShutdown('intake', 'http', () => void order.push('intake'));
    lifecycle.onShutdown('flush', 'producer', () => void order.push('flush'));
    lifecycle.onShutdown('close', 'kafka', () => void order.push('close kafka'));
    expect(await lifecycle.shutdown('test')).toBe(0);
    expect(order).toEqual(['intake', 'drain (ready: false)', 'flush', 'close db', 'close kafka']);
  });

  it('is idempotent: a second call gets the same run', async () => {
    const { lifecycle } = setup();
    let runs = 0;
    lifecycle.onShutdown('close', 'x', () => void runs++);
    const [a, b] = await Promise.all([lifecycle.shutdown('one'), lifecycle.shutdown('two', 1)]);
    expect([a, b, runs]).toEqual([0, 0, 1]);
    expect(lifecycle.stopping).toBe(true);
  });

  it('runs every step even when one fails or hangs, and then exits non-zero', async () => {
    const { lifecycle } = setup(200);
    const order: string[] = [];
    lifecycle.onShutdown('drain', 'fails', () => {
      throw new Error('boom');
    });
    lifecycle.onShutdown('flush', 'hangs', () => new Promise<void>(() => undefined), 50);
    lifecycle.onShutdown('close', 'after', () => void order.push('closed'));
    const started = Date.now();
    expect(await lifecycle.shutdown('test')).toBe(1);
    expect(order).toEqual(['closed']);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('keeps a crash exit code', async () => {
    const { lifecycle } = setup();
    expect(await lifecycle.shutdown('crash', 1)).toBe(1);
  });
});
