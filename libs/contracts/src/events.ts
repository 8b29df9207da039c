import type { EventType } from './schemas';

/**
 * TypeScript shapes of the Avro records in schemas.ts, field for field. The golden examples
 * in events.test.ts are typed with these and validated against the schemas, so the two cannot
 * drift apart unnoticed.
 */
export interface EventEnvelope<T extends EventType> {
  eventId: string;
  eventType: T;
  jobId: string;
  tenant: string;
  jobType: string;
  attempt: number;
  epoch: number;
  sequence: number;
  /** Epoch milliseconds. */
  time: number;
}

export interface JobError {
  type: string;
  title: string;
  detail: string | null;
  retriable: boolean;
}

export interface JobWebhook {
  url: string;
  events: string[];
  hasSecret: boolean;
}

export interface JobRequested extends EventEnvelope<'JobRequested'> {
  payload: string;
  maxAttempts: number;
  timeoutMs: number;
  webhook: JobWebhook | null;
  /** The dead-lettered job this one redrives (added compatibly: older messages decode it as null). */
  redriveOf: string | null;
}
export interface JobStarted extends EventEnvelope<'JobStarted'> {
  worker: string;
  resumedFromCheckpoint: boolean;
}
export interface JobProgressed extends EventEnvelope<'JobProgressed'> {
  percent: number;
  stage: string | null;
  message: string | null;
}
export interface JobCheckpointed extends EventEnvelope<'JobCheckpointed'> {
  summary: string | null;
  sizeBytes: number;
}
export interface JobSucceeded extends EventEnvelope<'JobSucceeded'> {
  result: string;
  durationMs: number;
}
export interface JobAttemptFailed extends EventEnvelope<'JobAttemptFailed'> {
  error: JobError;
  nextAttemptAt: number;
}
export interface JobFailed extends EventEnvelope<'JobFailed'> {
  error: JobError;
}
export interface JobCancelRequested extends EventEnvelope<'JobCancelRequested'> {
  reason: string | null;
}
export interface JobCancelled extends EventEnvelope<'JobCancelled'> {
  reason: string | null;
}
export interface JobDeadLettered extends EventEnvelope<'JobDeadLettered'> {
  error: JobError;
  deadLetterTopic: string;
}

export interface AttemptError {
  attempt: number;
  epoch: number;
  time: number;
  error: JobError;
}

export interface DeadLetter extends EventEnvelope<'DeadLetter'> {
  reason: string;
  errors: AttemptError[];
  request: { payload: string; maxAttempts: number; timeoutMs: number } | null;
  source: { topic: string; partition: number; offset: string; value: Buffer | null } | null;
}

export interface JobStateChanged extends EventEnvelope<'JobStateChanged'> {
  version: number;
  cause: { eventId: string; eventType: string; time: number };
  status: string;
  progress: { percent: number; stage: string | null; message: string | null; updatedAt: number } | null;
  maxAttempts: number | null;
  nextAttemptAt: number | null;
  result: string | null;
  error: JobError | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  webhook: JobWebhook | null;
  redriveOf: string | null;
}

export interface WebhookDeadLettered extends EventEnvelope<'WebhookDeadLettered'> {
  subscriptionId: string;
  url: string;
  webhookEventType: string;
  body: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
}

export interface EventsByType {
  JobRequested: JobRequested;
  JobStarted: JobStarted;
  JobProgressed: JobProgressed;
  JobCheckpointed: JobCheckpointed;
  JobSucceeded: JobSucceeded;
  JobAttemptFailed: JobAttemptFailed;
  JobFailed: JobFailed;
  JobCancelRequested: JobCancelRequested;
  JobCancelled: JobCancelled;
  JobDeadLettered: JobDeadLettered;
  DeadLetter: DeadLetter;
  JobStateChanged: JobStateChanged;
  WebhookDeadLettered: WebhookDeadLettered;
}

/** Any Longhaul event; `eventType` tells which. */
export type LonghaulEvent = EventsByType[EventType];
