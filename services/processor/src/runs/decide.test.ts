import { describe, expect, it } from 'vitest';
import { decide, type DecisionInput } from './decide';
import type { RunRecord } from './run-store';

const now = new Date('2026-11-28T12:00:00Z');
const record = (over: Partial<RunRecord>): RunRecord => ({
  _id: 'j1',
  tenant: 'acme',
  type: 'sleep',
  attempt: 1,
  epoch: 1,
  state: 'running',
  owner: 'p1',
  leaseUntil: new Date(now.getTime() + 5_000),
  checkpoint: null,
  errors: [],
  owed: [],
  createdAt: now,
  updatedAt: now,
  ...over,
});
const input = (over: Partial<DecisionInput>): DecisionInput => ({
  attempt: 1,
  record: null,
  acceptance: { rejected: false, cancelRequested: false },
  runningHere: false,
  now,
  ...over,
});

describe('decide', () => {
  it('starts a job nobody has seen, and never one ingress rejected', () => {
    expect(decide(input({})).kind).toBe('start');
    expect(decide(input({ acceptance: null })).kind).toBe('start');
    expect(decide(input({ acceptance: { rejected: true, cancelRequested: false } })).kind).toBe('rejected');
    const running = record({});
    expect(decide(input({ record: running, acceptance: { rejected: true, cancelRequested: false } })).kind).toBe(
      'rejected',
    );
  });

  it('cancels a queued job instead of starting it', () => {
    expect(decide(input({ acceptance: { rejected: false, cancelRequested: true } }))).toEqual({
      kind: 'cancel',
      from: null,
    });
  });

  it('leaves a run with a live lease alone, attaches to its own, takes over an expired one', () => {
    const live = record({});
    expect(decide(input({ record: live })).kind).toBe('watch');
    expect(decide(input({ record: live, runningHere: true })).kind).toBe('attach');
    const expired = record({ leaseUntil: new Date(now.getTime() - 1) });
    expect(decide(input({ record: expired }))).toEqual({ kind: 'claim', from: expired, takeover: true });
    const released = record({ leaseUntil: new Date(0) });
    expect(decide(input({ record: released })).kind).toBe('claim');
  });

  it('cancels an orphaned run instead of taking it over when a cancel was asked for', () => {
    const expired = record({ leaseUntil: new Date(now.getTime() - 1) });
    const d = decide(input({ record: expired, acceptance: { rejected: false, cancelRequested: true } }));
    expect(d.kind).toBe('cancel');
  });

  it('never runs a finished job again', () => {
    for (const state of ['succeeded', 'failed', 'cancelled'] as const) {
      const done = record({ state, owner: null, leaseUntil: null });
      expect(decide(input({ record: done })).kind).toBe('finished');
      expect(decide(input({ record: done, attempt: 2 })).kind).toBe('finished');
    }
  });

  it('runs the retry copy once, re-publishes it for a redelivered request, ignores older copies', () => {
    const waiting = record({ state: 'retrying', attempt: 2, epoch: 2, owner: null, leaseUntil: null });
    expect(decide(input({ record: waiting, attempt: 3 }))).toEqual({ kind: 'claim', from: waiting, takeover: false });
    expect(decide(input({ record: waiting, attempt: 2 })).kind).toBe('rescheduled');
    expect(decide(input({ record: waiting, attempt: 1 })).kind).toBe('stale');
    expect(decide(input({ record: waiting, attempt: 5 })).kind).toBe('stale');
    const cancelled = decide(
      input({ record: waiting, attempt: 3, acceptance: { rejected: false, cancelRequested: true } }),
    );
    expect(cancelled).toEqual({ kind: 'cancel', from: waiting });
  });

  it('ignores a copy of an earlier attempt while a later one runs', () => {
    const running = record({ attempt: 3, epoch: 4 });
    expect(decide(input({ record: running, attempt: 2 })).kind).toBe('stale');
  });
});
