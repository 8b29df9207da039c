import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import type { JobTypeDefinition, RetryPolicy } from './catalog';

/** One problem with a request, located by a JSON pointer into the request body. */
export interface FieldError {
  readonly pointer: string;
  readonly message: string;
}

export interface JobOptions {
  readonly maxAttempts: number;
  readonly timeoutMs: number;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export interface JobTypeCatalog {
  readonly names: readonly string[];
  get(name: string): JobTypeDefinition | undefined;
  /** Errors point under `/payload`. */
  checkPayload(type: JobTypeDefinition, payload: unknown): FieldError[];
  /** The type's defaults with the request's overrides, each within the type's limits. */
  resolveOptions(type: JobTypeDefinition, requested: { maxAttempts?: number; timeoutMs?: number }): Checked<JobOptions>;
}

/** ajv's messages, located in the request body, capped so a hostile payload cannot flood a response. */
export function toFieldErrors(
  errors: readonly ErrorObject[] | null | undefined,
  prefix: string,
  max = 20,
): FieldError[] {
  return (errors ?? []).slice(0, max).map((e) => {
    let pointer = `${prefix}${e.instancePath}`;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'additionalProperties') {
      const extra = String((e.params as { additionalProperty?: unknown }).additionalProperty);
      pointer = `${pointer}/${extra.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      message = 'is not an allowed property';
    } else if (e.keyword === 'required') {
      const missing = String((e.params as { missingProperty?: unknown }).missingProperty);
      pointer = `${pointer}/${missing}`;
      message = 'is required';
    }
    return { pointer: pointer.slice(0, 300), message };
  });
}

export function createJobTypeCatalog(definitions: readonly JobTypeDefinition[]): JobTypeCatalog {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const byName = new Map<string, { def: JobTypeDefinition; validate: ValidateFunction }>();
  for (const def of definitions) {
    if (byName.has(def.name)) throw new Error(`job type ${def.name} is declared twice`);
    checkPolicy(def.name, def.retry);
    byName.set(def.name, { def, validate: ajv.compile(def.payloadSchema) });
  }
  return {
    names: [...byName.keys()],
    get: (name) => byName.get(name)?.def,
    checkPayload(type, payload) {
      const entry = byName.get(type.name);
      if (!entry) throw new Error(`unknown job type ${type.name}`);
      return entry.validate(payload) ? [] : toFieldErrors(entry.validate.errors, '/payload');
    },
    resolveOptions(type, requested) {
      const errors: FieldError[] = [];
      const maxAttempts = requested.maxAttempts ?? type.retry.maxAttempts;
      const timeoutMs = requested.timeoutMs ?? type.defaultTimeoutMs;
      if (maxAttempts < 1 || maxAttempts > type.limits.maxAttempts) {
        errors.push({
          pointer: '/options/maxAttempts',
          message: `must be between 1 and ${type.limits.maxAttempts} for ${type.name}`,
        });
      }
      if (timeoutMs < type.limits.minTimeoutMs || timeoutMs > type.limits.maxTimeoutMs) {
        errors.push({
          pointer: '/options/timeoutMs',
          message: `must be between ${type.limits.minTimeoutMs} and ${type.limits.maxTimeoutMs} for ${type.name}`,
        });
      }
      return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { maxAttempts, timeoutMs } };
    },
  };
}

function checkPolicy(name: string, p: RetryPolicy): void {
  const sane =
    Number.isInteger(p.maxAttempts) &&
    p.maxAttempts >= 1 &&
    p.initialBackoffMs >= 0 &&
    p.multiplier >= 1 &&
    p.maxBackoffMs >= p.initialBackoffMs &&
    p.jitter >= 0 &&
    p.jitter <= 1;
  if (!sane) throw new Error(`job type ${name} has an invalid retry policy`);
}

/**
 * How long to wait before attempt `nextAttempt` (2, 3, …): exponential from the initial
 * backoff, capped, with jitter taken off the top so retries of many jobs spread out.
 */
export function backoffMs(policy: RetryPolicy, nextAttempt: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, nextAttempt - 2);
  const base = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * policy.multiplier ** exponent);
  return Math.round(base * (1 - policy.jitter * random()));
}
