import type { EventsByType, JobError } from './events';

/**
 * One golden example per event type (version 1). A test encodes and decodes each through its
 * schema; integration tests register them; consumers' unit tests start from them.
 */
const envelope = {
  jobId: '01JQ3ZK5V8G6W9T1B2C3D4E5F6',
  tenant: 'acme',
  jobType: 'report.generate',
  attempt: 1,
  epoch: 0,
  sequence: 0,
  time: 1_764_000_000_000,
};
const error: JobError = {
  type: 'urn:longhaul:error:handler',
  title: 'The handler failed',
  detail: 'step 3 of 5: upstream answered 502',
  retriable: true,
};

export const goldenEvents: { [T in keyof EventsByType]: EventsByType[T] } = {
  JobRequested: {
    ...envelope,
    eventId: '01JQ3ZK5V8G6W9T1B2C3D4E5F6-requested',
    eventType: 'JobRequested',
    payload: '{"steps":5,"stepMs":1000}',
    maxAttempts: 3,
    timeoutMs: 7_200_000,
    webhook: { url: 'https://hooks.example.com/longhaul', events: ['job.succeeded'], hasSecret: true },
    redriveOf: null,
  },
  JobStarted: {
    ...envelope,
    eventId: 'e-started',
    eventType: 'JobStarted',
    epoch: 1,
    sequence: 1,
    worker: 'processor-7f9c',
    resumedFromCheckpoint: false,
  },
  JobProgressed: {
    ...envelope,
    eventId: 'e-progress',
    eventType: 'JobProgressed',
    epoch: 1,
    sequence: 2,
    percent: 40,
    stage: 'step 2',
    message: null,
  },
  JobCheckpointed: {
    ...envelope,
    eventId: 'e-checkpoint',
    eventType: 'JobCheckpointed',
    epoch: 1,
    sequence: 3,
    summary: '2 of 5 steps',
    sizeBytes: 17,
  },
  JobSucceeded: {
    ...envelope,
    eventId: 'e-succeeded',
    eventType: 'JobSucceeded',
    epoch: 1,
    sequence: 9,
    result: '{"rows":5}',
    durationMs: 5_012,
  },
  JobAttemptFailed: {
    ...envelope,
    eventId: 'e-attempt-failed',
    eventType: 'JobAttemptFailed',
    epoch: 1,
    sequence: 4,
    error,
    nextAttemptAt: 1_764_000_002_000,
  },
  JobFailed: {
    ...envelope,
    eventId: 'e-failed',
    eventType: 'JobFailed',
    attempt: 3,
    epoch: 1,
    sequence: 4,
    error: { ...error, retriable: false },
  },
  JobCancelRequested: {
    ...envelope,
    eventId: 'e-cancel-requested',
    eventType: 'JobCancelRequested',
    reason: 'no longer needed',
  },
  JobCancelled: {
    ...envelope,
    eventId: 'e-cancelled',
    eventType: 'JobCancelled',
    epoch: 1,
    sequence: 5,
    reason: null,
  },
  JobDeadLettered: {
    ...envelope,
    eventId: 'e-dead-lettered',
    eventType: 'JobDeadLettered',
    attempt: 3,
    epoch: 1,
    sequence: 5,
    error: { ...error, retriable: false },
    deadLetterTopic: 'longhaul.jobs.dead-letters',
  },
  DeadLetter: {
    ...envelope,
    eventId: 'e-dead-letter',
    eventType: 'DeadLetter',
    attempt: 3,
    epoch: 3,
    sequence: 6,
    reason: 'no attempts left (3 of 3)',
    errors: [
      { attempt: 1, epoch: 1, time: 1_764_000_001_000, error },
      { attempt: 2, epoch: 2, time: 1_764_000_003_000, error },
      { attempt: 3, epoch: 3, time: 1_764_000_007_000, error },
    ],
    request: { payload: '{"steps":5,"stepMs":1000}', maxAttempts: 3, timeoutMs: 7_200_000 },
    source: null,
  },
};
