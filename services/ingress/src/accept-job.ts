import { newId } from './ids';
import type { EventCodec, JobRequested } from '@longhaul/contracts';
import type { Logger } from '@longhaul/runtime';
import type { AcceptanceRecord, AcceptanceStore } from './acceptance-store';
import type { IdempotencyStore, StoredResponse } from './idempotency-store';
import { jobPath } from './job-view';
import type { IngressMetrics } from './metrics';
import { HttpProblem } from './problem';
import { isDuplicateKey, storeCall } from './store-call';
import type { Publish } from '@longhaul/kafka';
import type { SecretBox } from '@longhaul/webhooks';
import type { Submission } from './submission';

export interface AcceptDeps {
  readonly acceptances: AcceptanceStore;
  readonly idempotency: IdempotencyStore;
  readonly codec: EventCodec;
  readonly publish: Publish;
  readonly secrets: SecretBox;
  readonly metrics: IngressMetrics;
  readonly logger: Logger;
  readonly pollAfterSeconds: number;
  readonly retryAfterSeconds: number;
}

export interface AcceptInput {
  readonly tenant: string;
  readonly submission: Submission;
  readonly idempotency: { key: string; fingerprint: string } | null;
  readonly traceHeaders: Record<string, string>;
  /** A redrive: the dead-lettered job this new one runs again. */
  readonly redriveOf?: string;
}

/**
 * Accept a job: claim the idempotency key (if any), write the acceptance record, produce
 * JobRequested (acks=all, bounded), mark it published, and only then answer 202. Anything that
 * fails before the broker acknowledged answers 503 and leaves no job behind: the record is
 * rejected by compare-and-set, so neither the relay nor a processor will ever run it.
 */
export async function acceptJob(deps: AcceptDeps, input: AcceptInput): Promise<StoredResponse> {
  const { tenant, idempotency } = input;
  let jobId = newId();
  if (idempotency) {
    const claim = await storeCall(() =>
      deps.idempotency.claim(tenant, idempotency.key, idempotency.fingerprint, jobId),
    );
    if (claim.kind === 'replay') return claim.response;
    if (claim.kind === 'mismatch') {
      throw new HttpProblem('idempotencyKeyReused', 'this Idempotency-Key was used with a different request body');
    }
    if (claim.kind === 'in_flight') {
      throw new HttpProblem(
        'requestInFlight',
        'a request with this Idempotency-Key is still being processed; retry later',
        {
          headers: { 'Retry-After': '1' },
        },
      );
    }
    jobId = claim.jobId;
  }

  try {
    const { record, pending } = await writeAcceptance(deps, input, jobId);
    if (record.state === 'rejected') throw unavailable(deps, 'the job could not be accepted; retry');
    if (pending) await publishAcceptance(deps, record);
    const response = accepted(deps, record);
    if (idempotency) await storeCall(() => deps.idempotency.complete(tenant, idempotency.key, response));
    return response;
  } catch (err) {
    // Nothing was promised: let a retry with the same key start afresh.
    if (idempotency) await deps.idempotency.release(tenant, idempotency.key).catch(() => undefined);
    throw err;
  }
}

/** Insert the record; when the key's job id already has one (a takeover), continue with that. */
async function writeAcceptance(
  deps: AcceptDeps,
  input: AcceptInput,
  jobId: string,
): Promise<{ record: AcceptanceRecord; pending: boolean }> {
  const { submission } = input;
  const record: AcceptanceRecord = {
    _id: jobId,
    tenant: input.tenant,
    type: submission.type.name,
    state: 'accepted',
    createdAt: new Date(),
    rejectedAt: null,
    cancelRequestedAt: null,
    request: {
      eventId: newId(),
      payload: submission.payload,
      maxAttempts: submission.options.maxAttempts,
      timeoutMs: submission.options.timeoutMs,
      webhook: submission.webhook && {
        url: submission.webhook.url,
        events: submission.webhook.events,
        sealedSecret: submission.webhook.secret === null ? null : deps.secrets.seal(submission.webhook.secret),
      },
      traceHeaders: input.traceHeaders,
      redriveOf: input.redriveOf ?? null,
    },
  };
  try {
    await storeCall(() => deps.acceptances.insert(record));
    return { record, pending: true };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const existing = await storeCall(() => deps.acceptances.find(jobId, input.tenant));
    if (!existing) throw unavailable(deps, 'the job could not be accepted; retry');
    // Published again whether or not the first try got that far (its outbox entry may never
    // have been written): the same event, which every consumer takes once.
    return { record: existing, pending: true };
  }
}

/** The JobRequested an acceptance record stands for; the same event (same id) every time. */
export function requestedEvent(record: AcceptanceRecord): JobRequested {
  const { request } = record;
  return {
    eventId: request.eventId,
    eventType: 'JobRequested',
    jobId: record._id,
    tenant: record.tenant,
    jobType: record.type,
    attempt: 1,
    epoch: 0,
    sequence: 0,
    time: record.createdAt.getTime(),
    payload: request.payload,
    maxAttempts: request.maxAttempts,
    timeoutMs: request.timeoutMs,
    webhook: request.webhook && {
      url: request.webhook.url,
      events: request.webhook.events,
      hasSecret: request.webhook.sealedSecret !== null,
    },
    redriveOf: request.redriveOf ?? null,
  };
}

async function publishAcceptance(deps: AcceptDeps, record: AcceptanceRecord): Promise<void> {
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    const encoded = await deps.codec.encode(requestedEvent(record), record.request.traceHeaders);
    await deps.publish(encoded);
    deps.metrics.publishDuration.observe({ outcome: 'acknowledged' }, seconds());
  } catch (err) {
    deps.metrics.publishDuration.observe({ outcome: 'failed' }, seconds());
    deps.logger.warn({ err, jobId: record._id }, 'publishing JobRequested failed; answering 503');
    // A 503 is final for this request: reject the record first, so a late delivery is skipped.
    // If it cannot be rejected (MongoDB is down too), its outbox entry stays (written with
    // majority concern) and the relay will publish it: the job is durably accepted, so the
    // answer is 202, not a 503 that would be a lie.
    const rejected = await deps.acceptances.reject(record._id).catch((rejectErr: unknown) => {
      deps.logger.warn({ err: rejectErr, jobId: record._id }, 'could not reject; the outbox relay will publish');
      return false;
    });
    if (rejected) throw unavailable(deps, 'the job queue did not take the job in time; retry');
    return;
  }
  // The broker has it: the job exists now, whatever happens to this bookkeeping write (an
  // entry left in the outbox is republished by the relay, and consumers ignore the duplicate).
  // Not awaited: the 202 does not depend on it, and it rides the next group commit.
  void deps.acceptances.markPublished(record._id).catch((err: unknown) => {
    deps.logger.warn({ err, jobId: record._id }, 'could not drop the outbox entry; the relay will republish');
  });
  deps.metrics.jobsAccepted.inc({ type: record.type, tenant: deps.metrics.tenantLabel(record.tenant) });
}

function accepted(deps: AcceptDeps, record: AcceptanceRecord): StoredResponse {
  const location = jobPath(record._id);
  return {
    status: 202,
    headers: { Location: location, 'Retry-After': String(deps.pollAfterSeconds) },
    body: {
      id: record._id,
      type: record.type,
      status: 'queued',
      createdAt: record.createdAt.toISOString(),
      links: { self: location, cancel: `${location}/cancel` },
    },
  };
}

function unavailable(deps: AcceptDeps, detail: string): HttpProblem {
  return new HttpProblem('unavailable', detail, { headers: { 'Retry-After': String(deps.retryAfterSeconds) } });
}
