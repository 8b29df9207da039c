import type { components, operations } from './generated/openapi';

/** The API's shapes, named after the OpenAPI document's schemas (generated: src/generated/openapi.ts). */
type Schemas = components['schemas'];
type Json<Op extends keyof operations, Status extends number> =
  operations[Op]['responses'] extends Record<Status, { content: { 'application/json': infer T } }> ? T : never;

export type Job = Schemas['Job'];
export type JobStatus = Job['status'];
export type JobList = Schemas['JobList'];
export type Accepted = Schemas['Accepted'];
/** A submission checked against the built-in job types' payload schemas. */
export type KnownSubmission = Schemas['SubmitJob'];
/** A submission of any job type (a deployment may add its own). */
export interface Submission {
  readonly type: string;
  readonly payload: unknown;
  readonly options?: KnownSubmission['options'];
  readonly webhook?: KnownSubmission['webhook'];
}
export interface JobListFilter {
  readonly status?: JobStatus;
  readonly type?: string;
  /** RFC 3339 or a Date. */
  readonly createdAfter?: string | Date;
  /** Page size, 1 to 100 (20 by default). */
  readonly limit?: number;
  readonly cursor?: string;
}

export type Webhook = Schemas['Webhook'];
export type WebhookWithSecret = Schemas['WebhookWithSecret'];
export type CreateWebhook = Schemas['CreateWebhook'];
export type UpdateWebhook = Schemas['UpdateWebhook'];
export type WebhookEventType = Webhook['events'][number];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type WebhookDeliveryList = Schemas['WebhookDeliveryList'];
export type DeliveryState = WebhookDelivery['state'];
export interface DeliveryFilter {
  readonly state?: DeliveryState;
  readonly limit?: number;
  /** A page's `next`: deliveries created before it. */
  readonly before?: string;
}
export type SigningSecret = Schemas['SigningSecret'];

export type DeadLetter = Schemas['DeadLetter'];
export type Redrive = Schemas['Redrive'];
export type RedriveResults = Json<'redriveDeadLetters', 200>;
export interface DeadLetterFilter {
  readonly tenant?: string;
  readonly type?: string;
  readonly before?: string | Date;
  readonly limit?: number;
}
export type JobTypeControl = Schemas['JobTypeControl'];
export type Lag = Schemas['Lag'];

export const terminalStatuses: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];
export const isTerminal = (status: string): boolean => (terminalStatuses as readonly string[]).includes(status);

/**
 * The job as server-sent events and webhooks carry it (`data`): the read model right after a
 * change. Not in the OpenAPI document (an event stream has no JSON schema there).
 */
export interface JobSnapshot {
  readonly id: string;
  readonly type: string;
  readonly status: JobStatus;
  /** The job's change number: strictly increasing; the event's id. */
  readonly sequence: number;
  readonly attempt: number;
  readonly maxAttempts: number | null;
  readonly progress: {
    readonly percent: number;
    readonly stage: string | null;
    readonly message: string | null;
  } | null;
  readonly result?: unknown;
  readonly error?: { readonly type: string; readonly title: string; readonly detail: string | null } | null;
  readonly nextAttemptAt: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

export type JobEventType =
  'job.state' | 'job.started' | 'job.progress' | 'job.retrying' | 'job.succeeded' | 'job.failed' | 'job.cancelled';

/** One event of `GET /v1/jobs/{id}/events`: the current state first (`job.state`), then each change. */
export interface JobEvent {
  readonly type: JobEventType;
  readonly job: JobSnapshot;
}

/** A webhook's body (Standard Webhooks: `type`, `timestamp`, `data`). */
export interface WebhookPayload {
  readonly type: Exclude<JobEventType, 'job.state'>;
  readonly timestamp: string;
  readonly data: JobSnapshot;
}
