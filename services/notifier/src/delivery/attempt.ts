import type { DeliveryResult } from '@longhaul/outbound';
import type { Logger } from '@longhaul/runtime';
import { startSpan } from '@longhaul/telemetry';
import { hourOf } from '@longhaul/contracts';
import { JOB_SUBSCRIPTION, minuteOf, signWebhook, type DeliveryState } from '@longhaul/webhooks';
import type { NotifierMetrics } from '../metrics';
import type { SubscriptionDirectory } from '../subscriptions';
import type { PendingDelivery } from './delivery-store';
import type { DeliveryWrite } from './dispatcher';
import type { SubscriptionHealth } from './health';
import { nextAttemptDelay, type RetrySchedule } from './schedule';

export interface AttemptDeps {
  readonly directory: SubscriptionDirectory;
  readonly health: SubscriptionHealth;
  /** Writes this delivery's record (inserting it, the first time, if it is not stored yet). */
  readonly write: DeliveryWrite;
  readonly schedule: RetrySchedule;
  /** One HTTP attempt (sendWebhook with the outbound rules, deadline and agents). */
  readonly send: (url: string, request: { headers: Record<string, string>; body: string }) => Promise<DeliveryResult>;
  /** Publish a delivery whose schedule is spent to the webhook dead-letter topic (durably). */
  readonly deadLetter: (delivery: PendingDelivery, attempts: number, last: DeliveryResult) => Promise<void>;
  readonly metrics: NotifierMetrics;
  readonly logger: Logger;
  /** How long a finished record stays listed. */
  readonly retentionMs: number;
  readonly now?: () => number;
}

/** What comes after an attempt: nothing (a final state is recorded), or another attempt at `dueAt`. */
export type AttemptNext = { readonly again: false } | { readonly again: true; readonly dueAt: number };

const statusClass = (status: number | null) => (status === null ? 'none' : `${Math.floor(status / 100)}xx`);
/** A secret or database we cannot reach is not the receiver's fault: try again soon, not counted. */
const INFRASTRUCTURE_RETRY_MS = 5_000;

/**
 * A span per attempt, child of the change's context (kept on the delivery, so a retry hours later
 * or after a restart joins the same trace); the HTTP client span is under it. None when off.
 */
async function sendTraced(d: PendingDelivery, send: () => Promise<DeliveryResult>): Promise<DeliveryResult> {
  const span = startSpan('deliver webhook', {
    parent: d.trace,
    attributes: {
      'longhaul.job.id': d.jobId,
      'longhaul.webhook.id': d._id,
      'longhaul.webhook.event': d.eventType,
      'longhaul.webhook.subscription': d.subscriptionId,
      'longhaul.webhook.endpoint': d.endpoint,
      'longhaul.webhook.attempt': d.attempts + 1,
    },
  });
  if (!span) return send();
  try {
    const result = await span.run(send);
    span.set({
      'longhaul.webhook.outcome': result.outcome,
      ...(result.status ? { 'http.response.status_code': result.status } : {}),
    });
    span.end(result.outcome === 'delivered' ? undefined : (result.error ?? result.outcome));
    return result;
  } catch (err) {
    span.end(err);
    throw err;
  }
}

/**
 * One attempt of one delivery: sign with the secrets that sign now, POST, record the attempt and
 * decide what follows — delivered; retried on the schedule (honouring Retry-After); after the
 * last attempt dead-lettered; a final failure (3xx, 4xx, forbidden target); 410 disables.
 * A delivery whose subscription is disabled or deleted meanwhile is skipped, not sent.
 */
export async function attemptDelivery(
  d: PendingDelivery,
  deps: AttemptDeps,
  sent: () => void = () => undefined,
): Promise<AttemptNext> {
  const now = deps.now ?? Date.now;
  const own = d.subscriptionId === JOB_SUBSCRIPTION;
  const subscription = own ? null : deps.directory.get(d.subscriptionId);
  if (own ? deps.directory.isJobGone(d.jobId) : !subscription?.enabled) {
    await finish(d, 'skipped', d.attempts, now());
    return { again: false };
  }
  let secrets: string[];
  try {
    secrets = await deps.directory.secretsFor(d);
  } catch (err) {
    deps.logger.warn({ err, jobId: d.jobId, delivery: d._id }, 'could not read the signing secret; trying again soon');
    return { again: true, dueAt: now() + INFRASTRUCTURE_RETRY_MS };
  }
  const url = subscription?.url ?? d.url;
  const startedAt = now();
  const result: DeliveryResult =
    secrets.length === 0
      ? {
          outcome: 'failed',
          status: null,
          latencyMs: 0,
          error: 'no signing secret',
          responseSnippet: '',
          retryAfterMs: null,
        }
      : await sendTraced(d, () =>
          deps.send(url, {
            headers: signWebhook({ id: d._id, timestamp: Math.floor(startedAt / 1000), body: d.body, secrets }),
            body: d.body,
          }),
        );
  sent();
  const at = new Date(startedAt);
  const attempts = d.attempts + 1;
  const attempt = {
    at,
    outcome: result.outcome,
    status: result.status,
    latencyMs: result.latencyMs,
    error: result.error,
    response: result.responseSnippet,
  };
  deps.metrics.attempts.inc({ outcome: result.outcome, status_class: statusClass(result.status) });
  deps.metrics.attemptDuration.observe({ outcome: result.outcome }, result.latencyMs / 1000);

  const health = (run: () => Promise<void>) =>
    run().catch((err: unknown) =>
      deps.logger.warn({ err, jobId: d.jobId, subscription: d.subscriptionId }, 'could not record health'),
    );

  switch (result.outcome) {
    case 'delivered':
      if (d.replays === 0 && attempts === 1) deps.metrics.eventToDelivery.observe((now() - d.eventAt.getTime()) / 1000);
      await finish(d, 'delivered', attempts, now(), attempt, url);
      await health(() => deps.health.succeeded(d.subscriptionId, at));
      return { again: false };
    case 'gone':
      await finish(d, 'failed', attempts, now(), attempt, url);
      await health(() => deps.health.gone(d.subscriptionId, d.jobId, at));
      return { again: false };
    case 'failed':
      await finish(d, 'failed', attempts, now(), attempt, url);
      await health(() => deps.health.failed(d.subscriptionId, at));
      return { again: false };
    case 'retry': {
      await health(() => deps.health.failed(d.subscriptionId, at));
      const delay = nextAttemptDelay(deps.schedule, attempts, result.retryAfterMs);
      if (delay === null) {
        await deps.deadLetter(d, attempts, result);
        deps.metrics.deadLetters.inc();
        await finish(d, 'dead', attempts, now(), attempt, url);
        return { again: false };
      }
      const dueAt = now() + delay;
      deps.metrics.retriesScheduled.inc();
      await deps.write({
        id: d._id,
        set: {
          state: 'pending',
          attempts,
          nextAttemptAt: new Date(dueAt),
          dueMinute: minuteOf(dueAt),
          url,
          updatedAt: new Date(now()),
        },
        attempt,
      });
      d.attempts = attempts;
      d.nextAttemptAt = new Date(dueAt);
      return { again: true, dueAt };
    }
  }

  async function finish(
    delivery: PendingDelivery,
    state: DeliveryState,
    attemptCount: number,
    at: number,
    record?: typeof attempt,
    target = delivery.url,
  ): Promise<void> {
    deps.metrics.finished.inc({ state });
    await deps.write({
      id: delivery._id,
      set: {
        state,
        attempts: attemptCount,
        nextAttemptAt: null,
        dueMinute: null,
        url: target,
        finishedAt: new Date(at),
        updatedAt: new Date(at),
        expiresAt: new Date(at + deps.retentionMs),
        expiresHour: hourOf(at + deps.retentionMs),
      },
      ...(record ? { attempt: record } : {}),
    });
  }
}
