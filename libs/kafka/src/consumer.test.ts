import { describe, expect, it, vi } from 'vitest';
import type { Kafka } from 'kafkajs';
import { createConsumerRunner } from './consumer';

/** A kafkajs consumer stand-in: counts connects and runs, and lets the test emit its events. */
function fakeKafka(opts: { failRuns?: number } = {}) {
  const listeners = new Map<string, ((e: unknown) => void)[]>();
  let failRuns = opts.failRuns ?? 0;
  const calls = { connect: 0, run: 0, disconnect: 0 };
  const consumer = {
    events: { GROUP_JOIN: 'join', REBALANCING: 'rebalancing', STOP: 'stop', CRASH: 'crash' },
    on(name: string, fn: (e: unknown) => void) {
      listeners.set(name, [...(listeners.get(name) ?? []), fn]);
    },
    connect: () => {
      calls.connect++;
      return Promise.resolve();
    },
    subscribe: () => Promise.resolve(),
    run: () => {
      calls.run++;
      if (calls.run > 1 && failRuns-- > 0) return Promise.reject(new Error('broker still away'));
      emit('join', { payload: { memberAssignment: { t: [0] } } });
      return Promise.resolve();
    },
    disconnect: () => {
      calls.disconnect++;
      return Promise.resolve();
    },
  };
  const emit = (name: string, e: unknown) => (listeners.get(name) ?? []).forEach((fn) => fn(e));
  const crash = (restart: boolean) =>
    emit('crash', { payload: { error: new Error('not aware of this member'), restart } });
  return { kafka: { consumer: () => consumer } as unknown as Kafka, calls, crash };
}

const logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
/** A runner over a fake, with short rejoin delays. */
const runnerOver = (
  fake: ReturnType<typeof fakeKafka>,
  onFatal: (err: Error) => void,
  rejoin: NonNullable<Parameters<typeof createConsumerRunner>[0]['rejoin']>,
) =>
  createConsumerRunner({
    groupId: 'g',
    topics: ['t'],
    logger,
    eachBatch: () => Promise.resolve(),
    kafka: fake.kafka,
    onFatal,
    rejoin,
  });

describe('consumer runner after a crash kafkajs does not restart from', () => {
  it('runs the same consumer again, with backoff, and is a member again; the process is not told to stop', async () => {
    const fake = fakeKafka({ failRuns: 2 });
    const onFatal = vi.fn();
    const runner = runnerOver(fake, onFatal, { firstDelayMs: 5, maxDelayMs: 20 });
    await runner.start();
    expect(runner.isReady()).toBe(true);
    fake.crash(false);
    expect(runner.isReady()).toBe(false);
    await vi.waitFor(() => expect(runner.isReady()).toBe(true), { timeout: 2_000 });
    // Two failed starts (each disconnected again), then one that joined.
    expect(fake.calls.run).toBe(4);
    expect(fake.calls.disconnect).toBe(2);
    expect(onFatal).not.toHaveBeenCalled();
  });

  it('leaves a crash kafkajs restarts from to kafkajs', async () => {
    const fake = fakeKafka();
    const runner = runnerOver(fake, vi.fn(), { firstDelayMs: 5 });
    await runner.start();
    fake.crash(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.calls.run).toBe(1);
  });

  it('gives up (onFatal) when starting again keeps failing past the deadline, and not at all once stopped', async () => {
    const fake = fakeKafka({ failRuns: 1_000 });
    const onFatal = vi.fn();
    const runner = runnerOver(fake, onFatal, { firstDelayMs: 5, maxDelayMs: 10, giveUpAfterMs: 100 });
    await runner.start();
    fake.crash(false);
    await vi.waitFor(() => expect(onFatal).toHaveBeenCalledTimes(1), { timeout: 2_000 });
    expect(runner.isReady()).toBe(false);

    const other = fakeKafka();
    const stoppedFatal = vi.fn();
    const stopped = runnerOver(other, stoppedFatal, { firstDelayMs: 20 });
    await stopped.start();
    other.crash(false);
    await stopped.stop();
    await new Promise((r) => setTimeout(r, 60));
    expect(other.calls.run).toBe(1);
    expect(stoppedFatal).not.toHaveBeenCalled();
  });
});
