/**
 * The job types Longhaul knows: one declaration per type, read by ingress (to validate a
 * request) and by the processor (to run it and retry it). A handler lives with the processor;
 * everything a client can see or ask for is declared here.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly multiplier: number;
  readonly maxBackoffMs: number;
  /** 0..1: each backoff is drawn from [backoff × (1 − jitter), backoff]; 1 is "full jitter", the spread that best keeps retries of many jobs apart. */
  readonly jitter: number;
}

export interface JobTypeDefinition {
  readonly name: string;
  readonly description: string;
  /** JSON Schema (2020-12) of the payload; objects forbid unknown properties. */
  readonly payloadSchema: Readonly<Record<string, unknown>>;
  /** Per attempt. */
  readonly defaultTimeoutMs: number;
  readonly retry: RetryPolicy;
  /** What a request's `options` may ask for. */
  readonly limits: { readonly maxAttempts: number; readonly minTimeoutMs: number; readonly maxTimeoutMs: number };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const standardRetry: RetryPolicy = {
  maxAttempts: 3,
  initialBackoffMs: 1_000,
  multiplier: 2,
  maxBackoffMs: 5 * MINUTE,
  jitter: 1,
};

const int = (minimum: number, maximum: number, description: string) => ({
  type: 'integer',
  minimum,
  maximum,
  description,
});

export const builtInJobTypes: readonly JobTypeDefinition[] = [
  {
    name: 'sleep',
    description: 'Waits `ms` milliseconds, then succeeds. The unit of load for tests and benchmarks.',
    payloadSchema: {
      type: 'object',
      properties: { ms: int(0, HOUR, 'How long to wait.') },
      required: ['ms'],
      additionalProperties: false,
    },
    defaultTimeoutMs: 2 * HOUR,
    retry: standardRetry,
    limits: { maxAttempts: 10, minTimeoutMs: 1_000, maxTimeoutMs: 6 * HOUR },
  },
  {
    name: 'report.generate',
    description: 'A multi-step job: one step every `stepMs`, progress and a checkpoint after each step.',
    payloadSchema: {
      type: 'object',
      properties: {
        steps: int(1, 1_000, 'How many steps.'),
        stepMs: int(0, 10 * MINUTE, 'How long each step takes.'),
      },
      required: ['steps', 'stepMs'],
      additionalProperties: false,
    },
    defaultTimeoutMs: 2 * HOUR,
    retry: standardRetry,
    limits: { maxAttempts: 10, minTimeoutMs: 1_000, maxTimeoutMs: 12 * HOUR },
  },
  {
    name: 'flaky',
    description: 'Fails its first `failTimes` attempts (after `ms`), then succeeds.',
    payloadSchema: {
      type: 'object',
      properties: {
        failTimes: int(0, 50, 'Attempts that fail before one succeeds.'),
        ms: int(0, 10 * MINUTE, 'How long each attempt takes.'),
      },
      required: ['failTimes'],
      additionalProperties: false,
    },
    defaultTimeoutMs: 10 * MINUTE,
    retry: { maxAttempts: 5, initialBackoffMs: 200, multiplier: 2, maxBackoffMs: 30_000, jitter: 1 },
    limits: { maxAttempts: 51, minTimeoutMs: 1_000, maxTimeoutMs: HOUR },
  },
  {
    name: 'fail',
    description: 'Always fails, with `message` if given: what a job that can never succeed looks like.',
    payloadSchema: {
      type: 'object',
      properties: { message: { type: 'string', maxLength: 1_000, description: 'The error detail.' } },
      additionalProperties: false,
    },
    defaultTimeoutMs: 10 * MINUTE,
    retry: { maxAttempts: 3, initialBackoffMs: 200, multiplier: 2, maxBackoffMs: 30_000, jitter: 1 },
    limits: { maxAttempts: 10, minTimeoutMs: 1_000, maxTimeoutMs: HOUR },
  },
  {
    name: 'cpu.hash',
    description: 'Hashes `rounds` times (SHA-256, chained): CPU-bound work, done off the event loop.',
    payloadSchema: {
      type: 'object',
      properties: { rounds: int(1, 50_000_000, 'How many chained SHA-256 rounds.') },
      required: ['rounds'],
      additionalProperties: false,
    },
    defaultTimeoutMs: 30 * MINUTE,
    retry: standardRetry,
    limits: { maxAttempts: 10, minTimeoutMs: 1_000, maxTimeoutMs: 2 * HOUR },
  },
];
