import { createHash } from 'node:crypto';
import type { JobStateChanged, WebhookEventType } from '@longhaul/contracts';

/** Which lifecycle event, accepted by the projector, makes which webhook; the rest make none. */
const byCause: Readonly<Record<string, WebhookEventType>> = {
  JobStarted: 'job.started',
  JobProgressed: 'job.progress',
  JobAttemptFailed: 'job.retrying',
  JobSucceeded: 'job.succeeded',
  JobFailed: 'job.failed',
  JobCancelled: 'job.cancelled',
};

/** The webhook event type of a state change, or null for changes no webhook announces. */
export function webhookEventType(change: JobStateChanged): WebhookEventType | null {
  return byCause[change.cause.eventType] ?? null;
}

/** What `data` holds: the job as `GET /v1/jobs/{id}` shows it right after the change. */
export interface WebhookJobSnapshot {
  id: string;
  type: string;
  status: string;
  /** The job's change number: strictly increasing per job, so a receiver can order deliveries. */
  sequence: number;
  attempt: number;
  maxAttempts: number | null;
  progress: { percent: number; stage: string | null; message: string | null } | null;
  result?: unknown;
  error?: { type: string; title: string; detail: string | null } | null;
  nextAttemptAt: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface WebhookPayload {
  type: WebhookEventType;
  /** When the change happened (the event's time), RFC 3339. */
  timestamp: string;
  data: WebhookJobSnapshot;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The body of the webhook for a state change (null: no webhook announces it). */
export function webhookPayload(change: JobStateChanged): WebhookPayload | null {
  const type = webhookEventType(change);
  if (!type) return null;
  return { type, timestamp: new Date(change.cause.time).toISOString(), data: jobSnapshot(change) };
}

/** The job right after a change, as webhooks and the SSE stream carry it. */
export function jobSnapshot(change: JobStateChanged): WebhookJobSnapshot {
  const data: WebhookJobSnapshot = {
    id: change.jobId,
    type: change.jobType,
    status: change.status,
    sequence: change.version,
    attempt: change.attempt,
    maxAttempts: change.maxAttempts,
    progress: change.progress && {
      percent: change.progress.percent,
      stage: change.progress.stage,
      message: change.progress.message,
    },
    nextAttemptAt: iso(change.nextAttemptAt),
    createdAt: new Date(change.createdAt).toISOString(),
    startedAt: iso(change.startedAt),
    finishedAt: iso(change.finishedAt),
  };
  // The result is the handler's JSON, stored as text; text that is not JSON goes as text.
  if (change.status === 'succeeded' && change.result !== null) data.result = parseJson(change.result);
  if (change.error) data.error = { type: change.error.type, title: change.error.title, detail: change.error.detail };
  return data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The `webhook-id` of a change's delivery to one subscription: derived from both, so every
 * retry, replay and re-read after a crash carries the same id and a receiver can de-duplicate;
 * two subscriptions get different ones.
 */
export function webhookId(changeEventId: string, subscriptionId: string): string {
  const digest = createHash('sha256').update(changeEventId).update('\0').update(subscriptionId).digest('base64url');
  return `msg_${digest.slice(0, 32)}`;
}
