import { LonghaulError, LonghaulNetworkError } from './errors';
import { seg, type Transport } from './http';
import { sleep } from './sleep';
import { EventStreamParser } from './sse';
import { isTerminal, type JobEvent, type JobEventType, type JobSnapshot } from './types';

export interface FollowOptions {
  readonly signal?: AbortSignal;
  /** Resume after this event id (a `sequence`): the stream starts with the state if it is newer. */
  readonly lastEventId?: string | number;
  /** Reconnections in a row without receiving anything before giving up (default 10). */
  readonly maxReconnects?: number;
  /** Called before each reconnection, with the error that ended the stream (or null when the server closed it). */
  readonly onReconnect?: (attempt: number, cause: unknown) => void;
}

/** Worth reconnecting after: the connection broke, or the server is busy or restarting. */
const transient = (err: unknown) =>
  err instanceof LonghaulNetworkError ||
  (err instanceof LonghaulError &&
    (err.status === 503 || err.status === 502 || err.status === 504 || err.status === 429)) ||
  (err instanceof TypeError && !(err instanceof LonghaulError));

/**
 * The job's server-sent events: its state, then every change, until the final one. A stream
 * that breaks is reopened with `Last-Event-ID` after the server's `retry` delay (the server then
 * sends the current state if anything changed meanwhile, so nothing newer is missed). Ending the
 * iteration (`break`) closes the connection.
 */
export async function* followJobEvents(
  transport: Transport,
  jobId: string,
  opts: FollowOptions = {},
): AsyncGenerator<JobEvent, void, undefined> {
  let lastEventId = opts.lastEventId === undefined ? undefined : String(opts.lastEventId);
  let retryMs = 2_000;
  let failures = 0;
  const maxReconnects = opts.maxReconnects ?? 10;
  for (;;) {
    const connection = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, connection.signal]) : connection.signal;
    let cause: unknown = null;
    try {
      const res = await transport.stream(`/v1/jobs/${seg(jobId)}/events`, {
        signal,
        ...(lastEventId === undefined ? {} : { headers: { 'last-event-id': lastEventId } }),
      });
      const parser = new EventStreamParser();
      const decoder = new TextDecoder();
      for await (const chunk of res.body ?? []) {
        for (const sse of parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }))) {
          failures = 0;
          if (sse.lastEventId !== '') lastEventId = sse.lastEventId;
          const job = JSON.parse(sse.data) as JobSnapshot;
          yield { type: sse.event as JobEventType, job };
          if (isTerminal(job.status)) return;
        }
        if (parser.retryMs !== undefined) retryMs = parser.retryMs;
      }
    } catch (err) {
      if (opts.signal?.aborted || !transient(err)) throw err;
      cause = err;
    } finally {
      connection.abort();
    }
    // The stream ended before the final event (a broken connection, or the server shutting down).
    failures += 1;
    if (failures > maxReconnects) {
      throw cause instanceof Error
        ? cause
        : new Error(`the event stream of job ${jobId} kept closing before the job ended`);
    }
    opts.onReconnect?.(failures, cause);
    await sleep(retryMs, opts.signal);
  }
}
