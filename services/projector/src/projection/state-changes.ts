import type { JobDocument, JobStateChanged, PendingStateChange } from '@longhaul/contracts';

const ms = (d: Date | null) => (d ? d.getTime() : null);

/**
 * The changelog record of one accepted change: the job as it stood right after it (kept in the
 * change), with the fields that never change, or only fill in, from the document. Its event id
 * is `<job>/<version>`, so a re-publication after a crash carries the same id.
 */
export function stateChangedEvent(doc: JobDocument, change: PendingStateChange): JobStateChanged {
  return {
    eventId: `${doc._id}/${change.version}`,
    eventType: 'JobStateChanged',
    jobId: doc._id,
    tenant: doc.tenant,
    jobType: doc.type,
    attempt: change.attempt,
    epoch: change.epoch,
    sequence: change.sequence,
    time: change.appliedAt.getTime(),
    version: change.version,
    cause: { eventId: change.cause.eventId, eventType: change.cause.eventType, time: change.cause.time.getTime() },
    status: change.status,
    progress: change.progress && { ...change.progress, updatedAt: change.progress.updatedAt.getTime() },
    maxAttempts: doc.maxAttempts,
    nextAttemptAt: ms(change.nextAttemptAt),
    // Only the change that made the job succeed carries the result; the document holds it.
    result: change.status === 'succeeded' ? doc.result : null,
    error: change.error && { ...change.error, retriable: false },
    createdAt: doc.createdAt.getTime(),
    startedAt: ms(change.startedAt),
    finishedAt: ms(change.finishedAt),
    webhook: doc.webhook,
    redriveOf: doc.redriveOf,
  };
}
