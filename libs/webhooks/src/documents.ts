import type { WebhookEventType } from '@longhaul/contracts';
import type { IndexSpec } from '@longhaul/mongo';
import type { DeliveryOutcome } from '@longhaul/outbound';
import type { SecretBox } from './secret-box';

/**
 * What ingress (the webhooks API) and the notifier (delivery) keep in MongoDB about webhooks,
 * declared once so the two agree. Secrets are only ever stored sealed (see secret-box.ts).
 */

/** One signing secret of a subscription or tenant, sealed. */
export interface StoredSecret {
  sealed: string;
  createdAt: Date;
  /** Null for the current secret; a rotated-out one signs alongside it until this time. */
  expiresAt: Date | null;
}

export type DisabledReason = 'manual' | 'gone' | 'failing';

/** A tenant-wide subscription (`POST /v1/webhooks`). */
export interface SubscriptionDocument {
  /** `wh_` + 26 characters; unguessable. */
  _id: string;
  tenant: string;
  url: string;
  /** Webhook event types it wants; empty means all. */
  events: WebhookEventType[];
  description: string | null;
  enabled: boolean;
  /** Why it is disabled: by the API, by a 410 from the receiver, or failing for too long. */
  disabledReason: DisabledReason | null;
  disabledAt: Date | null;
  secrets: StoredSecret[];
  /** The first failed attempt since the last success (the notifier sets and clears it). */
  failingSince: Date | null;
  lastDeliveredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A tenant's signing secret: signs per-job webhooks given without a secret of their own. */
export interface SigningSecretDocument {
  /** The tenant. */
  _id: string;
  secrets: StoredSecret[];
  /** When the API showed the current secret (it shows it once); null while never shown. */
  revealedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The subscription id of a job's own webhook (given in `POST /v1/jobs`). */
export const JOB_SUBSCRIPTION = 'job';

export type DeliveryState =
  /** Waiting for its next attempt (`nextAttemptAt`). */
  | 'pending'
  | 'delivered'
  /** A final failure: 3xx, 4xx other than 410/429, a forbidden target. */
  | 'failed'
  /** Every attempt of the schedule failed; also on the webhook dead-letter topic. */
  | 'dead'
  /** A newer progress event of the same job replaced it while the endpoint was backed up. */
  | 'collapsed'
  /** Not attempted: its subscription was disabled or deleted (or its job webhook answered 410). */
  | 'skipped';

/** Every delivery state, for validation and the OpenAPI document. */
export const deliveryStates: readonly DeliveryState[] = [
  'pending',
  'delivered',
  'failed',
  'dead',
  'collapsed',
  'skipped',
];

export interface DeliveryAttemptRecord {
  at: Date;
  outcome: DeliveryOutcome;
  status: number | null;
  latencyMs: number;
  error: string | null;
  /** The first bytes of the response body. */
  response: string;
}

/** One state change for one subscription: every attempt, retry and replay of it. */
export interface DeliveryDocument {
  /** The `webhook-id` (see `webhookId`): the same on every attempt and replay. */
  _id: string;
  tenant: string;
  /** A subscription id, or JOB_SUBSCRIPTION for the job's own webhook. */
  subscriptionId: string;
  /** The job's own webhook has a secret of its own (else the tenant's signing secret signs). */
  ownSecret: boolean;
  jobId: string;
  eventType: WebhookEventType;
  /** The job's change number (`data.sequence`). */
  sequence: number;
  url: string;
  /** The URL's origin: deliveries are queued and limited per endpoint. */
  endpoint: string;
  /** The exact body sent on every attempt. */
  body: string;
  /** The `jobs.state` partition of the change: that partition's notifier delivers it. */
  partition: number;
  state: DeliveryState;
  /** Attempts made in this round (a replay starts a new round). */
  attempts: number;
  nextAttemptAt: Date | null;
  /**
   * The minute (since the epoch) of `nextAttemptAt` while pending, else null: notifiers find what
   * falls due by equality on it (the one filter FerretDB hands to PostgreSQL).
   */
  dueMinute: number | null;
  /** Set by a replay through the API: the owning notifier picks it up within a poll. */
  requeued: boolean;
  /** Every attempt, oldest first. */
  log: DeliveryAttemptRecord[];
  /** When the change happened. */
  eventAt: Date;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  replays: number;
  /** When the record is removed. */
  expiresAt: Date;
  /**
   * The hour (since the epoch) of `expiresAt` once the delivery is final, else null: the
   * notifier's sweep deletes by equality on it (FerretDB has no TTL indexes).
   */
  expiresHour: number | null;
  /** The change's W3C trace context, while tracing is on: every attempt is a span in the job's trace. */
  trace?: Record<string, string>;
}

/** A delivery put back for a replay and not yet taken by its notifier (`webhook_replays`). */
export interface WebhookReplayDocument {
  /** The delivery's id (its `webhook-id`). */
  _id: string;
  partition: number;
  at: Date;
}

/** On MongoDB, a TTL index removes expired deliveries too (FerretDB has none: the sweep does). */
export const deliveriesTtlIndex: IndexSpec = { key: { expiresAt: 1 }, name: 'expires_ttl', expireAfterSeconds: 0 };

/** The minute a due time falls in (`dueMinute`). */
export const minuteOf = (at: Date | number): number => Math.floor(new Date(at).getTime() / 60_000);

/** The marker the API bumps on every change of subscriptions or signing secrets. */
export interface WebhookChangesDocument {
  _id: 'subscriptions';
  version: number;
  updatedAt: Date;
}

export const webhookIndexes: Record<'subscriptions' | 'deliveries', readonly IndexSpec[]> = {
  subscriptions: [{ key: { tenant: 1, createdAt: -1 }, name: 'tenant_created' }],
  deliveries: [
    { key: { subscriptionId: 1, tenant: 1, createdAt: -1 }, name: 'subscription_created' },
    { key: { jobId: 1 }, name: 'job' },
    { key: { partition: 1, state: 1, dueMinute: 1 }, name: 'partition_state_due' },
    { key: { expiresHour: 1 }, name: 'expires_hour' },
  ],
};

/** The secrets that sign now, current first: the current one and any still in their overlap. */
export function signingSecrets(secrets: readonly StoredSecret[], box: SecretBox, now = new Date()): string[] {
  return [...secrets]
    .filter((s) => s.expiresAt === null || s.expiresAt.getTime() > now.getTime())
    .sort((a, b) => Number(a.expiresAt !== null) - Number(b.expiresAt !== null))
    .map((s) => box.open(s.sealed));
}

/**
 * The secrets after a rotation: the new one current, the previous current one signing until
 * `overlapMs` from now, and those whose overlap has ended dropped.
 */
export function rotateSecrets(
  secrets: readonly StoredSecret[],
  sealedNew: string,
  overlapMs: number,
  now = new Date(),
): StoredSecret[] {
  const fresh: StoredSecret = { sealed: sealedNew, createdAt: now, expiresAt: null };
  if (overlapMs <= 0) return [fresh];
  const until = new Date(now.getTime() + overlapMs);
  const kept = secrets
    .filter((s) => s.expiresAt === null || s.expiresAt.getTime() > now.getTime())
    .map((s) => (s.expiresAt === null || s.expiresAt > until ? { ...s, expiresAt: until } : s));
  return [fresh, ...kept];
}
