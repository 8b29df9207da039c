import { randomUUID } from 'node:crypto';
import { LonghaulError, LonghaulNetworkError } from './errors';
import { seg, type Transport } from './http';
import { followJobEvents, type FollowOptions } from './job-events';
import { pollDelayMs, retryAfterMs } from './retry-after';
import { sleep } from './sleep';
import type {
  Accepted,
  DeliveryFilter,
  Job,
  JobEvent,
  JobList,
  JobListFilter,
  Submission,
  WebhookDeliveryList,
} from './types';
import { waitForJob, type WaitOptions } from './wait';

export interface SubmitOptions {
  /**
   * Sent as `Idempotency-Key`: the same key and body give the same job. A new UUID by default,
   * which makes the retries below safe; `false` sends none (and then nothing is retried).
   */
  readonly idempotencyKey?: string | false;
  /** Retries after a network error, 503, 429 or a 409 "in flight" (default 3), waiting as `Retry-After` says. */
  readonly retries?: number;
  readonly signal?: AbortSignal;
}

export interface Submitted extends Accepted {
  /** The key the job was submitted with (keep it to repeat the submission safely). */
  readonly idempotencyKey: string | null;
  /** Where the job is (`Location`). */
  readonly location: string | null;
  /** How long the API suggests waiting before the first status query. */
  readonly retryAfterMs: number | undefined;
}

const retriable = (err: unknown) =>
  err instanceof LonghaulNetworkError ||
  (err instanceof LonghaulError &&
    (err.status === 503 || err.status === 429 || err.type === '/problems/idempotent-request-in-flight'));

const iso = (d: string | Date | undefined) => (d instanceof Date ? d.toISOString() : d);

/** Jobs: submit, read, list, cancel, wait, follow. */
export class JobsApi {
  constructor(private readonly transport: Transport) {}

  async submit(submission: Submission, opts: SubmitOptions = {}): Promise<Submitted> {
    const key = opts.idempotencyKey === false ? null : (opts.idempotencyKey ?? randomUUID());
    const retries = key === null ? 0 : (opts.retries ?? 3);
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.transport.call<Accepted>('POST', '/v1/jobs', {
          body: submission,
          ...(key === null ? {} : { headers: { 'idempotency-key': key } }),
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
        return {
          ...res.body,
          idempotencyKey: key,
          location: res.headers.get('location'),
          retryAfterMs: retryAfterMs(res.headers.get('retry-after')),
        };
      } catch (err) {
        if (attempt >= retries || !retriable(err)) throw err;
        const hint = err instanceof LonghaulError ? err.retryAfterMs : undefined;
        await sleep(pollDelayMs(hint, { minMs: 200, maxMs: 10_000, fallbackMs: 500 * 2 ** attempt }), opts.signal);
      }
    }
  }

  async get(id: string, opts: { signal?: AbortSignal } = {}): Promise<Job> {
    return (await this.transport.call<Job>('GET', `/v1/jobs/${seg(id)}`, opts)).body;
  }

  /** One page of the tenant's jobs, newest first; pass `nextCursor` back as `cursor` for the next. */
  async list(filter: JobListFilter = {}, opts: { signal?: AbortSignal } = {}): Promise<JobList> {
    const query = { ...filter, createdAfter: iso(filter.createdAfter) };
    return (await this.transport.call<JobList>('GET', '/v1/jobs', { query, ...opts })).body;
  }

  /** Every page, one request each, as you iterate: `for await (const page of client.jobs.pages({status: 'failed'}))`. */
  async *pages(filter: JobListFilter = {}, opts: { signal?: AbortSignal } = {}): AsyncGenerator<JobList> {
    let cursor = filter.cursor;
    do {
      const page = await this.list({ ...filter, ...(cursor === undefined ? {} : { cursor }) }, opts);
      yield page;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  /** Every job matching the filter, page after page. */
  async *all(filter: JobListFilter = {}, opts: { signal?: AbortSignal } = {}): AsyncGenerator<Job> {
    for await (const page of this.pages(filter, opts)) yield* page.items;
  }

  /** Ask to cancel (repeatable). A finished job answers 409 (`/problems/job-finished`). */
  async cancel(id: string, opts: { signal?: AbortSignal } = {}): Promise<Job> {
    return (await this.transport.call<Job>('POST', `/v1/jobs/${seg(id)}/cancel`, opts)).body;
  }

  /** The job once it has ended (succeeded, failed or cancelled). */
  wait(id: string, opts: WaitOptions = {}): Promise<Job> {
    return waitForJob(this.transport, id, opts);
  }

  /** Submit, then wait for the end. */
  async run(submission: Submission, opts: SubmitOptions & WaitOptions = {}): Promise<Job> {
    const accepted = await this.submit(submission, opts);
    return this.wait(accepted.id, opts);
  }

  /** Server-sent events of the job, reconnecting with Last-Event-ID; ends after the final one. */
  events(id: string, opts: FollowOptions = {}): AsyncGenerator<JobEvent, void, undefined> {
    return followJobEvents(this.transport, id, opts);
  }

  /** The job's webhook deliveries (its own webhook's and every subscription's), newest first. */
  async deliveries(id: string, filter: DeliveryFilter = {}, opts: { signal?: AbortSignal } = {}) {
    const res = await this.transport.call<WebhookDeliveryList>('GET', `/v1/jobs/${seg(id)}/deliveries`, {
      query: { ...filter },
      ...opts,
    });
    return res.body;
  }
}
