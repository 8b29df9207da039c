import type { Context } from 'koa';

/** An RFC 9457 problem document. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  /** For validation problems: every offending field, located by a JSON pointer. */
  readonly errors?: readonly { pointer: string; message: string }[];
  readonly [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The kinds of problem the API answers with; each `type` is documented in the OpenAPI document. */
export const problemTypes = {
  badRequest: { type: '/problems/bad-request', title: 'Bad Request', status: 400 },
  malformedJson: { type: '/problems/malformed-json', title: 'Malformed JSON', status: 400 },
  unauthorized: { type: '/problems/unauthorized', title: 'Unauthorized', status: 401 },
  forbidden: { type: '/problems/forbidden', title: 'Forbidden', status: 403 },
  notFound: { type: '/problems/not-found', title: 'Not Found', status: 404 },
  methodNotAllowed: { type: '/problems/method-not-allowed', title: 'Method Not Allowed', status: 405 },
  requestInFlight: { type: '/problems/idempotent-request-in-flight', title: 'Request In Flight', status: 409 },
  alreadyFinished: { type: '/problems/job-finished', title: 'Job Already Finished', status: 409 },
  notRedrivable: { type: '/problems/not-redrivable', title: 'Not Redrivable', status: 409 },
  tooManySubscriptions: { type: '/problems/too-many-subscriptions', title: 'Too Many Subscriptions', status: 409 },
  deliveryPending: { type: '/problems/delivery-pending', title: 'Delivery Already Pending', status: 409 },
  concurrentChange: { type: '/problems/concurrent-change', title: 'Changed Concurrently', status: 409 },
  tooLarge: { type: '/problems/body-too-large', title: 'Content Too Large', status: 413 },
  unsupportedMediaType: { type: '/problems/unsupported-media-type', title: 'Unsupported Media Type', status: 415 },
  validation: { type: '/problems/validation', title: 'Unprocessable Content', status: 422 },
  idempotencyKeyReused: {
    type: '/problems/idempotency-key-reused',
    title: 'Idempotency Key Reused With Another Request',
    status: 422,
  },
  rateLimited: { type: '/problems/rate-limited', title: 'Too Many Requests', status: 429 },
  internal: { type: '/problems/internal', title: 'Internal Server Error', status: 500 },
  unavailable: { type: '/problems/unavailable', title: 'Service Unavailable', status: 503 },
} as const;

export type ProblemKind = keyof typeof problemTypes;

/** Thrown by handlers; the error middleware turns it into the response. */
export class HttpProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly detail: string,
    readonly extra: { errors?: Problem['errors']; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail, { cause: extra.cause });
    this.name = 'HttpProblem';
  }

  toProblem(): Problem {
    const base = problemTypes[this.kind];
    return { ...base, detail: this.detail, ...(this.extra.errors ? { errors: this.extra.errors } : {}) };
  }
}

export function sendProblem(ctx: Context, problem: Problem, headers: Record<string, string> = {}): void {
  ctx.status = problem.status;
  for (const [name, value] of Object.entries(headers)) ctx.set(name, value);
  ctx.type = PROBLEM_CONTENT_TYPE;
  ctx.body = problem;
}
