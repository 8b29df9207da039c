import { goldenEvents, type JobDocument } from '@longhaul/contracts';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { applyEvent, createdAtOf, type ProjectedEvent } from './apply-event';

const settings = { retentionMs: 7 * 24 * 3_600_000 };
const at = new Date(1_764_000_100_000);
const job = { jobId: '01JQ3ZK5V8G6W9T1B2C3D4E5F6', tenant: 'acme', jobType: 'report.generate' };

const requested = goldenEvents.JobRequested;
const started = (epoch: number, sequence: number, attempt = 1): ProjectedEvent => ({
  ...goldenEvents.JobStarted,
  ...job,
  eventId: `s-${epoch}-${sequence}`,
  attempt,
  epoch,
  sequence,
});
const progressed = (epoch: number, sequence: number, percent: number, attempt = 1): ProjectedEvent => ({
  ...goldenEvents.JobProgressed,
  eventId: `p-${epoch}-${sequence}`,
  attempt,
  epoch,
  sequence,
  percent,
});
const succeeded = (epoch: number, sequence: number): ProjectedEvent => ({
  ...goldenEvents.JobSucceeded,
  eventId: `ok-${epoch}-${sequence}`,
  epoch,
  sequence,
});

/** Apply events in order, returning the last document and each event's outcome. */
function run(events: ProjectedEvent[], start: JobDocument | null = null) {
  let doc = start;
  const outcomes: string[] = [];
  for (const e of events) {
    const r = applyEvent(doc, e, settings, at);
    if (r.applied) doc = r.doc;
    outcomes.push(r.applied ? 'applied' : r.reason);
  }
  return { doc: doc!, outcomes };
}

describe('applying events to a job document', () => {
  it('runs a job from request to success, announcing each change with the next version', () => {
    const { doc, outcomes } = run([requested, started(1, 1), progressed(1, 2, 40), succeeded(1, 9)]);
    expect(outcomes).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect(doc).toMatchObject({
      status: 'succeeded',
      attempt: 1,
      maxAttempts: 3,
      result: '{"rows":5}',
      progress: { percent: 40, stage: 'step 2' },
      webhook: { url: 'https://hooks.example.com/longhaul', events: ['job.succeeded'], hasSecret: true },
      epoch: 1,
      sequence: 9,
      version: 4,
      requested: true,
    });
    expect(doc.pendingChanges.map((c) => [c.version, c.status])).toEqual([
      [1, 'queued'],
      [2, 'running'],
      [3, 'running'],
      [4, 'succeeded'],
    ]);
    expect(doc.finishedAt).toEqual(new Date(goldenEvents.JobSucceeded.time));
    expect(doc.expiresAt!.getTime()).toBe(goldenEvents.JobSucceeded.time + settings.retentionMs);
    expect(doc.createdAt).toEqual(createdAtOf(requested));
  });

  it('ignores duplicates and events older than the document, whatever order they come in', () => {
    const { doc, outcomes } = run([started(1, 1), progressed(1, 2, 40), started(1, 1), progressed(1, 2, 40)]);
    expect(outcomes).toEqual(['applied', 'applied', 'stale', 'duplicate']);
    expect(doc.version).toBe(2);
    // A late event from a run that lost its lease (older epoch) changes nothing.
    const late = run([started(2, 1), progressed(1, 7, 90)], doc);
    expect(late.outcomes).toEqual(['applied', 'stale']);
    expect(late.doc.progress?.percent).toBe(40);
  });

  it('takes the request after its lifecycle events: fills in its fields, never moves the status back', () => {
    const { doc, outcomes } = run([started(1, 1), succeeded(1, 2), requested, requested]);
    expect(outcomes).toEqual(['applied', 'applied', 'applied', 'duplicate']);
    expect(doc.status).toBe('succeeded');
    expect(doc.maxAttempts).toBe(3);
    expect(doc.webhook?.hasSecret).toBe(true);
    expect([doc.epoch, doc.sequence]).toEqual([1, 2]);
    // The same creation time whichever event came first: it is the job id's.
    expect(doc.createdAt).toEqual(run([requested]).doc.createdAt);
  });

  it('keeps a final state final', () => {
    const { doc, outcomes } = run([started(1, 1), succeeded(1, 2), started(2, 1), progressed(2, 2, 10)]);
    expect(outcomes).toEqual(['applied', 'applied', 'final', 'final']);
    expect(doc.status).toBe('succeeded');
  });

  it('never lowers progress within an attempt, and starts it over on the next attempt', () => {
    const takeover = run([started(1, 1), progressed(1, 2, 60), started(2, 1), progressed(2, 2, 30)]);
    expect(takeover.outcomes).toEqual(['applied', 'applied', 'applied', 'progress-behind']);
    expect(takeover.doc.progress?.percent).toBe(60);
    const retried = run([started(3, 1, 2), progressed(3, 2, 30, 2)], takeover.doc);
    expect(retried.outcomes).toEqual(['applied', 'applied']);
    expect(retried.doc).toMatchObject({ attempt: 2, progress: { percent: 30 } });
  });

  it('records each failed attempt, then the final failure and its dead letter', () => {
    const failedAttempt: ProjectedEvent = { ...goldenEvents.JobAttemptFailed, epoch: 1, sequence: 3 };
    const failed: ProjectedEvent = { ...goldenEvents.JobFailed, attempt: 2, epoch: 2, sequence: 2 };
    const dead: ProjectedEvent = { ...goldenEvents.JobDeadLettered, attempt: 2, epoch: 2, sequence: 3 };
    const { doc, outcomes } = run([started(1, 1), failedAttempt, started(2, 1, 2), failed, dead]);
    expect(outcomes).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
    expect(doc.status).toBe('failed');
    expect(doc.attempts.map((a) => a.attempt)).toEqual([1, 2]);
    expect(doc.error?.title).toBe('The handler failed');
    expect(doc.deadLetteredAt).toEqual(new Date(dead.time));
    expect(doc.pendingChanges.map((c) => c.status)).toEqual(['running', 'retrying', 'running', 'failed', 'failed']);
  });

  it('reads the creation time from a ULID job id', () => {
    expect(createdAtOf({ jobId: ulid(1_469_918_176_385), time: 0 }).getTime()).toBe(1_469_918_176_385);
    expect(createdAtOf({ jobId: 'not-a-ulid', time: 42 }).getTime()).toBe(42);
  });
});
