import type { JobRequested, LonghaulEvent } from '@longhaul/contracts';
import type { JobTypeCatalog } from '@longhaul/job-types';
import type { HandlerRegistry } from '../handlers';

export type RequestCheck =
  { ok: true; request: JobRequested } | { ok: false; reason: string; request: JobRequested | null };

const JOB_ID = /^[0-9A-Za-z_-]{1,100}$/;

/**
 * A decoded message is runnable only if it is a JobRequested for a type this processor has a
 * handler for, with a payload and options the type accepts. Ingress checked all of it already;
 * this guards against whatever else could write to the topic.
 */
export function checkRequest(
  event: LonghaulEvent,
  key: Buffer | null,
  catalog: JobTypeCatalog,
  handlers: HandlerRegistry,
): RequestCheck {
  if (event.eventType !== 'JobRequested')
    return { ok: false, reason: `not a request but ${event.eventType}`, request: null };
  const fail = (reason: string): RequestCheck => ({ ok: false, reason, request: event });
  if (!JOB_ID.test(event.jobId)) return { ok: false, reason: 'the job id is not a valid id', request: null };
  if (key !== null && key.toString() !== event.jobId) return fail('the message key is not the job id');
  const type = catalog.get(event.jobType);
  if (!type || !handlers.has(event.jobType))
    return fail(`unknown job type ${JSON.stringify(event.jobType.slice(0, 100))}`);
  let payload: unknown;
  try {
    payload = JSON.parse(event.payload);
  } catch {
    return fail('the payload is not JSON');
  }
  const errors = catalog.checkPayload(type, payload);
  if (errors.length > 0) return fail(`invalid payload: ${errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}`);
  const options = catalog.resolveOptions(type, { maxAttempts: event.maxAttempts, timeoutMs: event.timeoutMs });
  if (!options.ok) return fail(`invalid options: ${options.errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}`);
  if (!Number.isInteger(event.attempt) || event.attempt < 1 || event.attempt > event.maxAttempts) {
    return fail(`attempt ${event.attempt} is outside 1..${event.maxAttempts}`);
  }
  return { ok: true, request: event };
}
