import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LonghaulEvent } from '@longhaul/contracts';
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

const SETTINGS = { LONGHAUL_REQUESTED_PARTITIONS: '6', LONGHAUL_PROCESSOR_SESSION_TIMEOUT_MS: '10000' };

async function metric(p: ProcessorUnderTest, name: string): Promise<number> {
  const text = await (await fetch(`${p.opsUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return Number(line?.split(' ').pop() ?? 'NaN');
}

/** No two runs of a job overlapped: nothing from an older epoch came after a newer run started. */
function runsNeverOverlapped(events: LonghaulEvent[]): boolean {
  const starts = ofType(events, 'JobStarted');
  return starts.every((start) => events.every((e) => e.epoch >= start.epoch || e.time <= start.time));
}

describe('processors at scale', () => {
  // Its own ingress, topics and group: a 90 s job on one processor with a 10 s session timeout,
  // running while the other suite below rebalances its own group again and again.
  let longApi: IngressUnderTest;
  let longProcessor: ProcessorUnderTest;
  let longEvents: EventLog;
  let longJob: string;

  let api: IngressUnderTest;
  let events: EventLog;
  const processors: ProcessorUnderTest[] = [];
  const running = () => processors.filter((p) => p.alive());

  beforeAll(async () => {
    [longApi, api] = await Promise.all([startIngress(SETTINGS), startIngress(SETTINGS)]);
    const started = await Promise.all([
      startProcessor(longApi, SETTINGS),
      startProcessor(api, SETTINGS),
      startProcessor(api, SETTINGS),
    ]);
    longProcessor = started[0]!;
    processors.push(...started.slice(1));
    [longEvents, events] = await Promise.all([followEvents(longApi.prefix), followEvents(api.prefix)]);
    longJob = await submitJob(longApi, 'report.generate', { steps: 18, stepMs: 5_000 });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([events?.stop(), longEvents?.stop()]);
    await Promise.all([...running(), longProcessor].filter((p) => p?.alive()).map((p) => p.terminate()));
    await Promise.all([api?.stop(), longApi?.stop()]);
  });

  it('scaling from 2 to 4 processors and back while 20 report.generate jobs run: no restart from step 0, no overlap, no attempt used', async () => {
    const ids = await Promise.all(
      Array.from({ length: 20 }, () => submitJob(api, 'report.generate', { steps: 12, stepMs: 1_000 })),
    );
    for (const id of ids) await events.waitFor(id, 'started', (es) => es.some((e) => e.eventType === 'JobStarted'));
    await new Promise((r) => setTimeout(r, 2_000));
    processors.push(...(await Promise.all([startProcessor(api, SETTINGS), startProcessor(api, SETTINGS)])));
    await new Promise((r) => setTimeout(r, 3_000));
    // Scale in: the two original processors go (they hold every job), handing their runs over.
    const exits = await Promise.all(processors.slice(0, 2).map((p) => p.terminate()));
    for (const exit of exits) expect(exit.code).toBe(0);

    for (const id of ids) await events.waitFor(id, 'a terminal state', (es) => es.some(isTerminal), 90_000);
    let handedOver = 0;
    for (const id of ids) {
      const seen = events.of(id);
      expect(
        seen.filter(isTerminal).map((e) => e.eventType),
        id,
      ).toEqual(['JobSucceeded']);
      expect(ofType(seen, 'JobAttemptFailed'), id).toEqual([]);
      const starts = ofType(seen, 'JobStarted');
      expect(
        starts.every((s) => s.attempt === 1),
        id,
      ).toBe(true);
      expect(runsNeverOverlapped(seen), id).toBe(true);
      const { runs } = JSON.parse(ofType(seen, 'JobSucceeded')[0]!.result) as { runs: { fromStep: number }[] };
      expect(runs[0]!.fromStep).toBe(0);
      for (const run of runs.slice(1)) expect(run.fromStep, id).toBeGreaterThan(0);
      if (runs.length > 1) handedOver += 1;
    }
    // The scale-in really moved running jobs (every job was on the two processors that left).
    expect(handedOver).toBe(20);
  }, 180_000);

  it('a 90 s job with a 10 s session timeout finishes once, with no rebalance and no second start', async () => {
    const seen = await longEvents.waitFor(longJob, 'a terminal state', (es) => es.some(isTerminal), 150_000);
    expect(seen.filter(isTerminal).map((e) => e.eventType)).toEqual(['JobSucceeded']);
    expect(ofType(seen, 'JobStarted')).toHaveLength(1);
    const succeeded = ofType(seen, 'JobSucceeded')[0]!;
    expect(succeeded.durationMs).toBeGreaterThanOrEqual(90_000);
    expect(await metric(longProcessor, 'longhaul_processor_rebalances_total')).toBe(0);
  }, 180_000);
});
