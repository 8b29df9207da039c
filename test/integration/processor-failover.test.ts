import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngress, type IngressUnderTest } from '../helpers/ingress';
import {
  followEvents,
  submitJob,
  isTerminal,
  ofType,
  startProcessor,
  type EventLog,
  type ProcessorUnderTest,
} from '../helpers/processors';

const PARTITIONS = { LONGHAUL_REQUESTED_PARTITIONS: '6' };

interface ReportResult {
  steps: number;
  runs: { attempt: number; epoch: number; fromStep: number }[];
}

/** The step the newest checkpoint of a report.generate job says is done. */
const stepsDone = (summary: string | null) => Number(/^(\d+) of/.exec(summary ?? '')?.[1] ?? -1);

// Crashes, hand-offs and load across several processor processes of one group.
describe('processors share the work and survive each other', () => {
  let api: IngressUnderTest;
  let events: EventLog;
  const processors: ProcessorUnderTest[] = [];

  const running = () => processors.filter((p) => p.alive());
  const owning = (worker: string) => running().find((p) => worker.startsWith(`${p.name}-`));

  beforeAll(async () => {
    api = await startIngress(PARTITIONS);
    processors.push(...(await Promise.all([1, 2, 3].map(() => startProcessor(api, PARTITIONS)))));
    events = await followEvents(api.prefix);
  }, 120_000);

  afterAll(async () => {
    await events?.stop();
    await Promise.all(running().map((p) => p.terminate()));
    await api?.stop();
  });

  async function interruptAndResume(interrupt: (p: ProcessorUnderTest) => Promise<void>) {
    const id = await submitJob(api, 'report.generate', { steps: 12, stepMs: 400 });
    const before = await events.waitFor(id, 'step 4 checkpointed', (es) =>
      ofType(es, 'JobCheckpointed').some((c) => stepsDone(c.summary) >= 4),
    );
    const k = Math.max(...ofType(before, 'JobCheckpointed').map((c) => stepsDone(c.summary)));
    const victim = owning(ofType(before, 'JobStarted')[0]!.worker);
    expect(victim).toBeDefined();
    const interruptedAt = Date.now();
    await interrupt(victim!);
    processors.push(await startProcessor(api, PARTITIONS));

    const seen = await events.waitFor(id, 'a terminal state', (es) => es.some(isTerminal), 60_000);
    const terminal = seen.filter(isTerminal);
    expect(terminal.map((e) => e.eventType)).toEqual(['JobSucceeded']);
    const starts = ofType(seen, 'JobStarted');
    expect(starts).toHaveLength(2);
    expect(starts[1]!.worker).not.toBe(starts[0]!.worker);
    expect(starts[1]).toMatchObject({ attempt: 1, epoch: 2, resumedFromCheckpoint: true });
    const result = JSON.parse(ofType(seen, 'JobSucceeded')[0]!.result) as ReportResult;
    expect(result.runs).toHaveLength(2);
    expect(result.runs[0]).toEqual({ attempt: 1, epoch: 1, fromStep: 0 });
    expect(result.runs[1]!.attempt).toBe(1);
    expect(result.runs[1]!.epoch).toBe(2);
    expect(result.runs[1]!.fromStep).toBeGreaterThanOrEqual(k);
    return { resumedAfterMs: starts[1]!.time - interruptedAt };
  }

  it('kill -9 of the processor running report.generate at step k: another finishes it from step >= k', async () => {
    const { resumedAfterMs } = await interruptAndResume((p) => p.kill());
    expect(resumedAfterMs).toBeLessThan(30_000);
  }, 90_000);

  it('SIGTERM: a clean hand-off within the grace period, resumed from the checkpoint', async () => {
    let exit: { code: number; ms: number } | undefined;
    const { resumedAfterMs } = await interruptAndResume(async (p) => {
      exit = await p.terminate();
    });
    expect(exit?.code).toBe(0);
    expect(exit!.ms).toBeLessThan(10_000);
    // The lease was handed back, so the next owner did not wait for it to expire.
    expect(resumedAfterMs).toBeLessThan(15_000);
  }, 90_000);

  it('500 sleep jobs over 3 processors: each runs exactly once, and all succeed', async () => {
    while (running().length > 3) await running()[0]!.terminate();
    const ids: string[] = [];
    const queue = Array.from({ length: 500 }, (_, i) => i);
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (queue.shift() !== undefined) ids.push(await submitJob(api, 'sleep', { ms: 20 }));
      }),
    );
    for (const id of ids) await events.waitFor(id, 'a terminal state', (es) => es.some(isTerminal), 120_000);
    const workers = new Set<string>();
    for (const id of ids) {
      const seen = events.of(id);
      expect(ofType(seen, 'JobStarted'), id).toHaveLength(1);
      expect(
        seen.filter(isTerminal).map((e) => e.eventType),
        id,
      ).toEqual(['JobSucceeded']);
      workers.add(ofType(seen, 'JobStarted')[0]!.worker);
    }
    expect(workers.size).toBeGreaterThanOrEqual(2);
  }, 240_000);
});
