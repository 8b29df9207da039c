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

/** A failed attempt, as the job's document keeps it (oldest first). */
export interface JobAttemptRecord {
  attempt: number;
  error: JobProblem;
  failedAt: Date;
}

/**
 * A change the projector accepted and has not yet seen published to the state topic. Kept in
 * the document (written with the change itself), so a crash between the write and the publish
 * re-publishes exactly these when the same events are delivered again.
 */
export interface PendingStateChange {
  version: number;
  epoch: number;
  sequence: number;
  attempt: number;
  cause: { eventId: string; eventType: string; time: Date };
  status: JobStatus;
  progress: JobProgress | null;
  nextAttemptAt: Date | null;
  error: JobProblem | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  appliedAt: Date;
}

export interface JobDocument {
  /** The job id. */
  _id: string;
  tenant: string;
  type: string;
  status: JobStatus;
  progress: JobProgress | null;
  /** The attempt in hand (0 until the first start). */
  attempt: number;
  /** Null until the request itself was projected (lifecycle events may come first). */
  maxAttempts: number | null;
  timeoutMs: number | null;
  nextAttemptAt: Date | null;
  /** Every failed attempt's error, oldest first. */
  attempts: JobAttemptRecord[];
  checkpoint: { summary: string | null; sizeBytes: number; at: Date } | null;
  /** JSON text, when succeeded (text, so FerretDB never sees client-chosen keys). */
  result: string | null;
  error: JobProblem | null;
  cancelReason: string | null;
  /** The payload's size; its contents stay in the acceptance record. */
  payloadBytes: number | null;
  webhook: { url: string; events: string[]; hasSecret: boolean } | null;
  redriveOf: string | null;
  /** The request was projected (its fields above are known). */
  requested: boolean;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  deadLetteredAt: Date | null;
  updatedAt: Date;
  /** When a terminal job is removed (finishedAt + retention); null while it is not final. */
  expiresAt: Date | null;
  /**
   * The hour (since the epoch) in which the retention sweeper looks for this job: that of
   * `expiresAt`, or of the write if later (a job already due when written). Found by equality,
   * the one filter FerretDB hands to PostgreSQL; null while the job is not final.
   */
  sweepHour: number | null;
  /** What the projector last applied: the guard against stale and repeated events. */
  epoch: number;
  sequence: number;
  /** How many changes were accepted: the per-job order of the state changelog. */
  version: number;
  pendingChanges: PendingStateChange[];
}

/**
 * The hour (since the epoch) a time falls in: the retention buckets of the read model
 * (`sweepHour`) and of webhook deliveries (`expiresHour`), found by equality.
 */
export const hourOf = (at: Date | number): number => Math.floor(new Date(at).getTime() / 3_600_000);

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
