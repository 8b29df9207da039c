/**
 * The job read model: one MongoDB document per job, written only by the projector and read by
 * ingress to answer `GET /v1/jobs/{id}` and lists. Declared here so writer and reader agree.
 */
export type JobStatus = 'queued' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'cancelled';
export const jobStatuses: readonly JobStatus[] = ['queued', 'running', 'retrying', 'succeeded', 'failed', 'cancelled'];
export const terminalStatuses: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'cancelled']);

export interface JobProgress {
  percent: number;
  stage: string | null;
  message: string | null;
  updatedAt: Date;
}

export interface JobProblem {
  type: string;
  title: string;
  detail: string | null;
}

export interface JobDocument {
  /** The job id. */
  _id: string;
  tenant: string;
  type: string;
  status: JobStatus;
  progress: JobProgress | null;
  attempt: number;
  maxAttempts: number;
  nextAttemptAt: Date | null;
  /** JSON text, when succeeded. */
  result: string | null;
  error: JobProblem | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
  /** What the projector last applied: the guard against stale and repeated events. */
  epoch: number;
  sequence: number;
}

/** The events a webhook subscriber may ask for (Standard Webhooks `type`). */
export const webhookEventTypes = [
  'job.started',
  'job.progress',
  'job.retrying',
  'job.succeeded',
  'job.failed',
  'job.cancelled',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];
