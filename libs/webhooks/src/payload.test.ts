import type { JobStateChanged } from '@longhaul/contracts';
import { describe, expect, it } from 'vitest';
import { webhookId, webhookPayload } from './payload';

const change = (over: Partial<JobStateChanged> = {}): JobStateChanged => ({
  eventId: '01JOB/5',
  eventType: 'JobStateChanged',
  jobId: '01JOB',
  tenant: 'acme',
  jobType: 'report.generate',
  attempt: 2,
  epoch: 1,
  sequence: 4,
  time: Date.parse('2026-11-29T10:00:01Z'),
  version: 5,
  cause: { eventId: 'e1', eventType: 'JobSucceeded', time: Date.parse('2026-11-29T10:00:00Z') },
  status: 'succeeded',
  progress: { percent: 100, stage: 'done', message: null, updatedAt: 0 },
  maxAttempts: 3,
  nextAttemptAt: null,
  result: '{"rows":12}',
  error: null,
  createdAt: Date.parse('2026-11-29T09:59:00Z'),
  startedAt: Date.parse('2026-11-29T09:59:10Z'),
  finishedAt: Date.parse('2026-11-29T10:00:00Z'),
  webhook: { url: 'https://hooks.example.com/x', events: [], hasSecret: true },
  redriveOf: null,
  ...over,
});

describe('webhook payloads', () => {
  it('carries the job snapshot with its sequence and parsed result, never the webhook settings or tenant', () => {
    const p = webhookPayload(change())!;
    expect(p).toEqual({
      type: 'job.succeeded',
      timestamp: '2026-11-29T10:00:00.000Z',
      data: {
        id: '01JOB',
        type: 'report.generate',
        status: 'succeeded',
        sequence: 5,
        attempt: 2,
        maxAttempts: 3,
        progress: { percent: 100, stage: 'done', message: null },
        result: { rows: 12 },
        nextAttemptAt: null,
        createdAt: '2026-11-29T09:59:00.000Z',
        startedAt: '2026-11-29T09:59:10.000Z',
        finishedAt: '2026-11-29T10:00:00.000Z',
      },
    });
    expect(JSON.stringify(p)).not.toContain('hooks.example.com');
    expect(JSON.stringify(p)).not.toContain('acme');
  });

  it('maps each lifecycle cause to its event type; requests, checkpoints and dead-letter notes make none', () => {
    const of = (eventType: string, status = 'running') =>
      webhookPayload(change({ status, result: null, cause: { eventId: 'e', eventType, time: 0 } }))?.type ?? null;
    expect(of('JobStarted')).toBe('job.started');
    expect(of('JobProgressed')).toBe('job.progress');
    expect(of('JobAttemptFailed', 'retrying')).toBe('job.retrying');
    expect(of('JobFailed', 'failed')).toBe('job.failed');
    expect(of('JobCancelled', 'cancelled')).toBe('job.cancelled');
    expect(of('JobRequested', 'queued')).toBeNull();
    expect(of('JobCheckpointed')).toBeNull();
    expect(of('JobDeadLettered', 'failed')).toBeNull();
  });

  it('gives the same id to every delivery of a change to one subscription, another to another', () => {
    const a = webhookId('01JOB/5', 'sub_1');
    expect(webhookId('01JOB/5', 'sub_1')).toBe(a);
    expect(webhookId('01JOB/5', 'sub_2')).not.toBe(a);
    expect(webhookId('01JOB/6', 'sub_1')).not.toBe(a);
    // Not ambiguous across the boundary between the two parts.
    expect(webhookId('01JOB/5s', 'ub_1')).not.toBe(a);
    expect(a).toMatch(/^msg_[A-Za-z0-9_-]{32}$/);
  });
});
