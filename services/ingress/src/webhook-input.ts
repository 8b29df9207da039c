import Ajv2020 from 'ajv/dist/2020';
import { toFieldErrors } from '@longhaul/job-types';
import { deliveryStates, type DeliveryState } from '@longhaul/webhooks';
import { parseDateTime } from './date-time';
import { HttpProblem } from './problem';
import type { DeliveryPageQuery } from './webhook-deliveries';
import {
  createSubscriptionSchema,
  replaySinceSchema,
  updateSubscriptionSchema,
  type SubscriptionFields,
} from './webhook-schemas';

/** Checks of what clients send to the webhooks API: bodies against their schemas, list queries strictly. */
const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addFormat('date-time', { type: 'string', validate: (s: string) => parseDateTime(s) !== undefined });
const checkCreate = ajv.compile<SubscriptionFields & { url: string }>(createSubscriptionSchema);
const checkUpdate = ajv.compile<SubscriptionFields>(updateSubscriptionSchema);
const checkReplaySince = ajv.compile<{ since: string }>(replaySinceSchema);

function shaped<T>(
  check: { (v: unknown): v is T; errors?: Parameters<typeof toFieldErrors>[0] },
  body: unknown,
  what: string,
): T {
  if (check(body)) return body;
  throw new HttpProblem('validation', `the body is not ${what}`, { errors: toFieldErrors(check.errors, '') });
}

export const parseCreateSubscription = (body: unknown) => shaped(checkCreate, body, 'a webhook subscription');

export function parseUpdateSubscription(body: unknown): SubscriptionFields {
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0) {
    throw new HttpProblem('validation', 'send at least one of url, events, description, enabled', {
      errors: [{ pointer: '', message: 'must change at least one field' }],
    });
  }
  return shaped(checkUpdate, body, 'a change of a webhook subscription');
}

/** The `since` of a replay: a date-time not in the future. */
export function parseReplaySince(body: unknown, now: Date): Date {
  const since = parseDateTime(shaped(checkReplaySince, body, '{"since": "<date-time>"}').since)!;
  if (since.getTime() > now.getTime()) {
    throw new HttpProblem('validation', 'since is in the future', {
      errors: [{ pointer: '/since', message: 'must not be in the future' }],
    });
  }
  return since;
}

const DELIVERY_PARAMS = new Set(['state', 'limit', 'before']);

/** `?state=&limit=&before=`: unknown or repeated parameters are errors, not ignored. */
export function parseDeliveryQuery(query: Record<string, string | string[] | undefined>): DeliveryPageQuery {
  const errors: { pointer: string; message: string }[] = [];
  const out: DeliveryPageQuery = { limit: 50 };
  for (const [name, value] of Object.entries(query)) {
    const pointer = `/query/${name.slice(0, 50)}`;
    if (!DELIVERY_PARAMS.has(name)) errors.push({ pointer, message: 'is not a known parameter' });
    else if (typeof value !== 'string') errors.push({ pointer, message: 'must be given once' });
    else if (name === 'state') {
      if ((deliveryStates as readonly string[]).includes(value)) out.state = value as DeliveryState;
      else errors.push({ pointer, message: `must be one of ${deliveryStates.join(', ')}` });
    } else if (name === 'limit') {
      const n = /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
      if (n >= 1 && n <= 200) out.limit = n;
      else errors.push({ pointer, message: 'must be a whole number from 1 to 200' });
    } else {
      const before = parseDateTime(value);
      if (before) out.before = before;
      else errors.push({ pointer, message: 'must be an RFC 3339 date-time (the `next` of a previous page)' });
    }
  }
  if (errors.length > 0) throw new HttpProblem('badRequest', 'the query is not valid', { errors });
  return out;
}
