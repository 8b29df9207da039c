/**
 * What a job type's handler is given and must return: the contract between the processor and
 * the code that does the work, built-in or a team's own (see docs/job-types.md).
 */
export interface JobLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** Why a run's AbortSignal fired; `signal.reason` is an AbortRunError carrying it as `abortCause`. */
export type AbortCause = 'cancelled' | 'timeout' | 'lease-lost' | 'shutdown';

export class AbortRunError extends Error {
  override readonly name = 'AbortRunError';
  constructor(readonly abortCause: AbortCause) {
    super(`run aborted: ${abortCause}`);
  }
}

export interface JobContext<Checkpoint = unknown> {
  readonly jobId: string;
  readonly tenant: string;
  readonly type: string;
  /** 1, 2, …: only a handler error or a timeout starts the next attempt. */
  readonly attempt: number;
  /** Which run this is: a takeover after a crash or a hand-off keeps the attempt and bumps the epoch. */
  readonly epoch: number;
  /** The newest checkpoint of this job (any earlier run or attempt), or null on a fresh start. */
  readonly lastCheckpoint: Checkpoint | null;
  /** Fires on cancellation, timeout, losing the lease, or shutdown; stop soon after (checkpoint first). */
  readonly signal: AbortSignal;
  readonly logger: JobLogger;
  /** Report progress (0–100); throttled to a few events a second, the latest always wins. */
  progress(percent: number, stage?: string, message?: string): void;
  /** Durable when it resolves: a later run (after a crash, a hand-off or a retry) starts from it. */
  checkpoint(state: Checkpoint, summary?: string): Promise<void>;
  /**
   * A key naming one step of this job, the same in every run and attempt: pass it to the systems
   * a step calls, so a step repeated after a crash (work done after the last checkpoint) has no
   * second effect there.
   */
  stepKey(step: string | number): string;
}

/**
 * A job type's code: resolve with the result (JSON-serialisable), or throw. A thrown error counts
 * as a failed attempt and is retried per the type's policy, unless it is a NonRetryableError.
 */
export type JobHandler<Payload = unknown, Result = unknown, Checkpoint = unknown> = (
  payload: Payload,
  ctx: JobContext<Checkpoint>,
) => Promise<Result>;

/** A failure that no retry can fix (bad input the schema could not catch, a refused operation). */
export class NonRetryableError extends Error {
  override readonly name = 'NonRetryableError';
}

/** Wait `ms`, or reject with the signal's reason as soon as it fires. */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
