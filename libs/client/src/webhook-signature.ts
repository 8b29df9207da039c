import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookPayload } from './types';

/**
 * Standard Webhooks verification (https://www.standardwebhooks.com): the `webhook-signature`
 * header holds space-separated `v1,<base64>` signatures, each an HMAC-SHA256 over
 * `<webhook-id>.<webhook-timestamp>.<raw body>` keyed by the secret's bytes (the base64 after
 * `whsec_`). One matching signature is enough (during a rotation the sender signs with both secrets).
 */

export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface VerifyOptions {
  /** How far the timestamp may be from now, either way (default 5 minutes, as the specification suggests). */
  readonly toleranceSeconds?: number;
  /** Now, in milliseconds (tests). */
  readonly now?: number;
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? (value as readonly string[]).join(' ') : (value as string | undefined);
}

function keyOf(secret: string): Buffer {
  const b64 = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64))
    throw new WebhookVerificationError('the secret is not base64 after "whsec_"');
  return Buffer.from(b64, 'base64');
}

/** The `v1,` signature of a message with one secret. */
export function webhookSignature(secret: string, id: string, timestamp: string, body: string | Uint8Array): string {
  const mac = createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

/**
 * Check a received webhook and return its parsed body. Pass the raw body exactly as received
 * (not re-serialised JSON) and every secret that may sign it (current and, during a rotation,
 * the previous). Throws WebhookVerificationError when a header is missing, the timestamp is
 * outside the tolerance, or no signature matches.
 */
export function verifyWebhook(
  secrets: string | readonly string[],
  headers: WebhookHeaders,
  body: string | Uint8Array,
  opts: VerifyOptions = {},
): WebhookPayload {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures)
    throw new WebhookVerificationError('missing webhook-id, -timestamp or -signature');
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookVerificationError('webhook-timestamp is not whole seconds');
  const tolerance = opts.toleranceSeconds ?? 300;
  const skew = Math.abs((opts.now ?? Date.now()) / 1000 - Number(timestamp));
  if (skew > tolerance) throw new WebhookVerificationError(`webhook-timestamp is ${Math.round(skew)} s away from now`);

  const given = signatures
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s));
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  const matches = list.some((secret) => {
    const expected = Buffer.from(webhookSignature(secret, id, timestamp, body));
    return given.some((g) => g.length === expected.length && timingSafeEqual(g, expected));
  });
  if (!matches) throw new WebhookVerificationError('no signature matches: wrong secret, or the body was changed');
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  return JSON.parse(text) as WebhookPayload;
}
