/** An RFC 9457 problem document, as the API answers every error (`application/problem+json`). */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  /** For validation problems: every offending field, located by a JSON pointer. */
  readonly errors?: readonly { readonly pointer: string; readonly message: string }[];
  readonly [extension: string]: unknown;
}

/**
 * The API answered with an error. `type` is the problem type (`/problems/not-found`, …); an
 * answer that is not a problem document (a proxy's error page) gets `about:blank` and its status.
 */
export class LonghaulError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: readonly { readonly pointer: string; readonly message: string }[];
  /** The whole problem document, extensions included. */
  readonly problem: ProblemDetails;
  /** From `Retry-After`, when the answer carried one (429, 503, 409 in flight). */
  readonly retryAfterMs: number | undefined;
  readonly method: string;
  readonly path: string;

  constructor(problem: ProblemDetails, request: { method: string; path: string }, retryAfterMs?: number) {
    super(
      `${request.method} ${request.path}: ${problem.status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ''}`,
    );
    this.name = 'LonghaulError';
    this.problem = problem;
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
    this.retryAfterMs = retryAfterMs;
    this.method = request.method;
    this.path = request.path;
  }
}

/** The API could not be reached, or did not answer in time: nothing is known about the request's effect. */
export class LonghaulNetworkError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly timedOut: boolean,
    cause: unknown,
  ) {
    const why = timedOut
      ? 'no answer in time'
      : cause instanceof Error
        ? (causeMessage(cause) ?? cause.message)
        : String(cause);
    super(`${method} ${url}: ${why}`, { cause });
    this.name = 'LonghaulNetworkError';
  }
}

/** `wait()` gave up before the job ended; `job` is the last state seen. */
export class WaitTimeoutError extends Error {
  constructor(
    readonly jobId: string,
    readonly job: unknown,
    timeoutMs: number,
  ) {
    super(`job ${jobId} did not finish within ${timeoutMs} ms`);
    this.name = 'WaitTimeoutError';
  }
}

/** Node's fetch says only "fetch failed"; the reason (ECONNREFUSED …) is in its cause. */
function causeMessage(err: Error): string | undefined {
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  if (cause && typeof cause.code === 'string') return `${err.message} (${cause.code})`;
  return undefined;
}
