import { WaitTimeoutError } from './errors';
import { seg, type HttpResult, type Transport } from './http';
import { followJobEvents } from './job-events';
import { pollDelayMs, retryAfterMs } from './retry-after';
import { sleep } from './sleep';
import { isTerminal, type Job, type JobSnapshot } from './types';

export interface WaitOptions {
  /** Give up after this long (WaitTimeoutError); no limit by default. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** `poll`: GET, as often as the API's `Retry-After` says (the default); `events`: server-sent events. */
  readonly via?: 'poll' | 'events';
  /** Bounds on the delay between polls, whatever `Retry-After` says (default 250 ms to 30 s). */
  readonly minPollMs?: number;
  readonly maxPollMs?: number;
  /** Every state seen on the way (a polled job, or an event's snapshot). */
  readonly onUpdate?: (job: Job | JobSnapshot) => void;
}

/** Poll `GET /v1/jobs/{id}` until the job ends, waiting as long as each answer's `Retry-After` asks. */
async function poll(transport: Transport, id: string, opts: WaitOptions, signal: AbortSignal): Promise<Job> {
  let etag: string | null = null;
  let last: Job | undefined;
  for (;;) {
    const res: HttpResult<Job | undefined> = await transport.call<Job | undefined>('GET', `/v1/jobs/${seg(id)}`, {
      signal,
      ...(etag === null ? {} : { headers: { 'if-none-match': etag } }),
    });
    if (res.status !== 304 || last === undefined) {
      if (res.body === undefined) throw new Error(`GET /v1/jobs/${id} answered ${res.status} without a job`);
      last = res.body;
      etag = res.headers.get('etag');
      opts.onUpdate?.(last);
    }
    if (isTerminal(last.status)) return last;
    const hint = retryAfterMs(res.headers.get('retry-after'));
    await sleep(
      pollDelayMs(hint, { minMs: opts.minPollMs ?? 250, maxMs: opts.maxPollMs ?? 30_000, fallbackMs: 1_000 }),
      signal,
    );
  }
}

/** Follow the job's events to the final one, then read the job once (the stream's snapshot omits links). */
async function viaEvents(transport: Transport, id: string, opts: WaitOptions, signal: AbortSignal): Promise<Job> {
  for await (const event of followJobEvents(transport, id, { signal })) {
    opts.onUpdate?.(event.job);
    if (isTerminal(event.job.status)) break;
  }
  return (await transport.call<Job>('GET', `/v1/jobs/${seg(id)}`, { signal })).body;
}

/** Resolve with the job once it has succeeded, failed or been cancelled (a failed job is not an error here). */
export async function waitForJob(transport: Transport, id: string, opts: WaitOptions = {}): Promise<Job> {
  const deadline = opts.timeoutMs === undefined ? undefined : AbortSignal.timeout(opts.timeoutMs);
  const signals = [opts.signal, deadline].filter((s): s is AbortSignal => s !== undefined);
  const signal = AbortSignal.any(signals);
  let last: Job | JobSnapshot | undefined;
  const seen = { ...opts, onUpdate: (job: Job | JobSnapshot) => ((last = job), opts.onUpdate?.(job)) };
  try {
    return await (opts.via === 'events' ? viaEvents : poll)(transport, id, seen, signal);
  } catch (err) {
    if (deadline?.aborted && !opts.signal?.aborted) throw new WaitTimeoutError(id, last, opts.timeoutMs ?? 0);
    throw err;
  }
}
