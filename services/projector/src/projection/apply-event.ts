import {
  hourOf,
  jobEventTypes,
  terminalStatuses,
  type JobDocument,
  type JobProblem,
  type JobRequested,
  type LonghaulEvent,
  type PendingStateChange,
} from '@longhaul/contracts';
import { decodeTime } from 'ulid';

/** The events the read model is made of: the request and the processor's lifecycle events. */
export type ProjectedEvent = Exclude<
  LonghaulEvent,
  { eventType: 'JobCancelRequested' | 'DeadLetter' | 'JobStateChanged' | 'WebhookDeadLettered' }
>;

const projectedTypes: ReadonlySet<string> = new Set(jobEventTypes);
export const isProjected = (e: LonghaulEvent): e is ProjectedEvent => projectedTypes.has(e.eventType);

/** Why an event changed nothing (a metric label: keep the set small and fixed). */
export type IgnoreReason = 'duplicate' | 'stale' | 'final' | 'progress-behind';
export type ApplyResult = { applied: true; doc: JobDocument } | { applied: false; reason: IgnoreReason };

export interface ProjectionSettings {
  /** How long a terminal job is kept before the sweeper removes it. */
  readonly retentionMs: number;
}

/**
 * Apply one event to a job's document (null: none yet) and return the new document, or why the
 * event is ignored. Pure: the same document and event always give the same answer, which is what
 * makes redelivery harmless.
 *
 * The rule (docs/architecture.md): a lifecycle event is applied only if its `(epoch, sequence)`
 * is greater than the document's, and never once the job is final (except the dead-letter note
 * that follows `JobFailed`). `JobRequested` is `(0, 0)`: it creates the document as queued, or
 * fills in the request's fields of one that lifecycle events created first; it never changes a
 * status. Fields that never change are taken from whichever event comes first.
 */
export function applyEvent(
  doc: JobDocument | null,
  event: ProjectedEvent,
  settings: ProjectionSettings,
  appliedAt: Date,
): ApplyResult {
  if (event.eventType === 'JobRequested') {
    if (doc?.requested) return { applied: false, reason: 'duplicate' };
    const base = doc ?? newDocument(event);
    return { applied: true, doc: record(withRequest(base, event), event, appliedAt, base.epoch, base.sequence) };
  }
  if (doc) {
    const order = compare([event.epoch, event.sequence], [doc.epoch, doc.sequence]);
    if (order === 0) return { applied: false, reason: 'duplicate' };
    if (order < 0) return { applied: false, reason: 'stale' };
    const final = terminalStatuses.has(doc.status);
    if (final && !(event.eventType === 'JobDeadLettered' && doc.status === 'failed'))
      return { applied: false, reason: 'final' };
  }
  const base = doc ?? newDocument(event);
  const next = transition(base, event, settings);
  if (!next) return { applied: false, reason: 'progress-behind' };
  return { applied: true, doc: record(next, event, appliedAt, event.epoch, event.sequence) };
}

/** The document's new fields for a lifecycle event; null when it would show nothing new. */
function transition(doc: JobDocument, e: ProjectedEvent, settings: ProjectionSettings): JobDocument | null {
  const at = new Date(e.time);
  const ended = (status: JobDocument['status']): Partial<JobDocument> => ({
    status,
    nextAttemptAt: null,
    finishedAt: at,
    expiresAt: new Date(e.time + settings.retentionMs),
  });
  switch (e.eventType) {
    case 'JobStarted': {
      const nextAttempt = e.attempt > doc.attempt;
      return {
        ...doc,
        status: 'running',
        attempt: Math.max(doc.attempt, e.attempt),
        // A takeover resumes the same attempt (its progress stands); a new attempt starts over.
        progress: nextAttempt ? null : doc.progress,
        nextAttemptAt: null,
        startedAt: doc.startedAt ?? at,
      };
    }
    case 'JobProgressed': {
      // Progress never goes back within an attempt (a run taken over may report from its checkpoint).
      if (doc.progress && e.attempt <= doc.attempt && e.percent < doc.progress.percent) return null;
      const percent = Math.min(100, Math.max(0, e.percent));
      return { ...doc, progress: { percent, stage: e.stage, message: e.message, updatedAt: at } };
    }
    case 'JobCheckpointed':
      return { ...doc, checkpoint: { summary: e.summary, sizeBytes: e.sizeBytes, at } };
    case 'JobSucceeded':
      return { ...doc, ...ended('succeeded'), attempt: Math.max(doc.attempt, e.attempt), result: e.result };
    case 'JobAttemptFailed':
      return {
        ...doc,
        status: 'retrying',
        attempt: Math.max(doc.attempt, e.attempt),
        nextAttemptAt: new Date(e.nextAttemptAt),
        attempts: withAttemptError(doc.attempts, e.attempt, problem(e.error), at),
      };
    case 'JobFailed':
      return {
        ...doc,
        ...ended('failed'),
        attempt: Math.max(doc.attempt, e.attempt),
        error: problem(e.error),
        attempts: withAttemptError(doc.attempts, e.attempt, problem(e.error), at),
      };
    case 'JobCancelled':
      return { ...doc, ...ended('cancelled'), cancelReason: e.reason };
    case 'JobDeadLettered':
      return { ...doc, deadLetteredAt: at };
    case 'JobRequested':
      return withRequest(doc, e);
  }
}

/** Stamp an applied change: the order guard, the version, and the change to announce. */
function record(doc: JobDocument, e: ProjectedEvent, appliedAt: Date, epoch: number, sequence: number): JobDocument {
  const version = doc.version + 1;
  const change: PendingStateChange = {
    version,
    epoch,
    sequence,
    attempt: doc.attempt,
    cause: { eventId: e.eventId, eventType: e.eventType, time: new Date(e.time) },
    status: doc.status,
    progress: doc.progress,
    nextAttemptAt: doc.nextAttemptAt,
    error: doc.error,
    startedAt: doc.startedAt,
    finishedAt: doc.finishedAt,
    appliedAt,
  };
  return {
    ...doc,
    epoch,
    sequence,
    version,
    // Never an hour before this write: the sweeper may have finished with earlier hours.
    sweepHour: doc.expiresAt ? Math.max(hourOf(doc.expiresAt), hourOf(appliedAt)) : null,
    updatedAt: appliedAt,
    pendingChanges: [...doc.pendingChanges, change],
  };
}

function withRequest(doc: JobDocument, e: JobRequested): JobDocument {
  return {
    ...doc,
    requested: true,
    maxAttempts: e.maxAttempts,
    timeoutMs: e.timeoutMs,
    payloadBytes: Buffer.byteLength(e.payload),
    webhook: e.webhook ? { url: e.webhook.url, events: [...e.webhook.events], hasSecret: e.webhook.hasSecret } : null,
    redriveOf: e.redriveOf ?? null,
  };
}

/** A job's first document, from whichever of its events arrives first. */
function newDocument(e: ProjectedEvent): JobDocument {
  return {
    _id: e.jobId,
    tenant: e.tenant,
    type: e.jobType,
    status: 'queued',
    progress: null,
    attempt: 0,
    maxAttempts: null,
    timeoutMs: null,
    nextAttemptAt: null,
    attempts: [],
    checkpoint: null,
    result: null,
    error: null,
    cancelReason: null,
    payloadBytes: null,
    webhook: null,
    redriveOf: null,
    requested: false,
    createdAt: createdAtOf(e),
    startedAt: null,
    finishedAt: null,
    deadLetteredAt: null,
    updatedAt: new Date(e.time),
    expiresAt: null,
    sweepHour: null,
    epoch: 0,
    sequence: 0,
    version: 0,
    pendingChanges: [],
  };
}

/**
 * When the job was accepted: a job id is a ULID whose first ten characters are its milliseconds,
 * so every event gives the same answer whichever comes first. (An id that is not a ULID falls
 * back to the event's time.)
 */
export function createdAtOf(e: { jobId: string; time: number }): Date {
  try {
    return new Date(decodeTime(e.jobId));
  } catch {
    return new Date(e.time);
  }
}

function withAttemptError(list: JobDocument['attempts'], attempt: number, error: JobProblem, at: Date) {
  if (list.some((a) => a.attempt === attempt)) return list;
  return [...list, { attempt, error, failedAt: at }];
}

const problem = (e: { type: string; title: string; detail: string | null }): JobProblem => ({
  type: e.type,
  title: e.title,
  detail: e.detail,
});

function compare(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}
