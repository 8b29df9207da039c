import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 over
 * `<webhook-id>.<webhook-timestamp>.<body>`, keyed by the secret's bytes (the base64 after
 * `whsec_`), sent as `v1,<base64>`; during a rotation one per secret, space-separated.
 */

export const SECRET_PREFIX = 'whsec_';
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;

export class WebhookSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}

/** A new signing secret: `whsec_` and the base64 of `bytes` random bytes (24 to 64). */
export function generateSecret(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES)
    throw new RangeError(`a secret has ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} random bytes`);
  return SECRET_PREFIX + randomBytes(bytes).toString('base64');
}

/** The key bytes of a `whsec_…` secret (the prefix is optional, as the specification allows). */
export function secretKey(secret: string): Buffer {
  const b64 = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0)
    throw new WebhookSignatureError('the secret is not base64 after "whsec_"');
  const key = Buffer.from(b64, 'base64');
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES)
    throw new WebhookSignatureError(`the secret must hold ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes`);
  return key;
}

/** One `v1,` signature of a message. */
function signature(key: Buffer, id: string, timestamp: number, body: string | Buffer): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

export type SignedHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/**
 * The three headers of a delivery: `timestamp` is the attempt's time in whole seconds; every
 * secret given signs (the new one and, while a rotation overlaps, the old).
 */
export function signWebhook(msg: {
  id: string;
  timestamp: number;
  body: string | Buffer;
  secrets: readonly string[];
}): SignedHeaders {
  if (msg.secrets.length === 0) throw new WebhookSignatureError('nothing to sign with: no secret');
  if (!Number.isInteger(msg.timestamp) || msg.timestamp < 0)
    throw new WebhookSignatureError('the timestamp is whole seconds since the epoch');
  if (!/^[\x21-\x7e]{1,255}$/.test(msg.id) || msg.id.includes('.'))
    throw new WebhookSignatureError('a webhook id is printable ASCII without "." or spaces');
  return {
    'webhook-id': msg.id,
    'webhook-timestamp': String(msg.timestamp),
    'webhook-signature': msg.secrets.map((s) => signature(secretKey(s), msg.id, msg.timestamp, msg.body)).join(' '),
  };
}

/**
 * Check a delivery as a receiver would: the timestamp within `toleranceSeconds` of now (replays
 * of old deliveries fail) and one of the `v1` signatures made with one of the secrets. Throws a
 * WebhookSignatureError saying which check failed.
 */
export function verifyWebhook(
  headers: Record<string, string | string[] | undefined>,
  body: string | Buffer,
  secrets: readonly string[],
  opts: { toleranceSeconds?: number; now?: Date } = {},
): void {
  const header = (name: string): string => {
    const v = headers[name] ?? headers[name.toLowerCase()];
    const value = Array.isArray(v) ? v[0] : v;
    if (!value) throw new WebhookSignatureError(`missing ${name} header`);
    return value;
  };
  const id = header('webhook-id');
  const ts = header('webhook-timestamp');
  const sent = header('webhook-signature');
  if (!/^\d{1,12}$/.test(ts)) throw new WebhookSignatureError('webhook-timestamp is not whole seconds');
  const timestamp = Number(ts);
  const now = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const tolerance = opts.toleranceSeconds ?? 300;
  if (Math.abs(now - timestamp) > tolerance)
    throw new WebhookSignatureError('webhook-timestamp is too far from now (a replay, or a skewed clock)');
  const offered = sent
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s));
  for (const secret of secrets) {
    const expected = Buffer.from(signature(secretKey(secret), id, timestamp, body));
    if (offered.some((o) => o.length === expected.length && timingSafeEqual(o, expected))) return;
  }
  throw new WebhookSignatureError('no signature matches');
}
