import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateSecret, signWebhook, verifyWebhook, WebhookSignatureError } from './signing';

// The test vector published with the Standard Webhooks specification and its reference libraries.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signing', () => {
  it('reproduces the specification test vector exactly', () => {
    const headers = signWebhook({
      id: VECTOR.id,
      timestamp: VECTOR.timestamp,
      body: VECTOR.body,
      secrets: [VECTOR.secret],
    });
    expect(headers).toEqual({
      'webhook-id': VECTOR.id,
      'webhook-timestamp': String(VECTOR.timestamp),
      'webhook-signature': VECTOR.signature,
    });
  });

  it('is verified by the standardwebhooks package, and verifies what it signs', () => {
    const secret = generateSecret();
    const body = JSON.stringify({ type: 'job.succeeded', timestamp: new Date().toISOString(), data: { id: 'x' } });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signWebhook({ id: 'msg_abc', timestamp, body, secrets: [secret] });
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));

    const theirs = new Webhook(secret).sign('msg_def', new Date(timestamp * 1000), body);
    expect(() =>
      verifyWebhook(
        { 'webhook-id': 'msg_def', 'webhook-timestamp': String(timestamp), 'webhook-signature': theirs },
        body,
        [secret],
      ),
    ).not.toThrow();
  });

  it('signs with every secret during a rotation, and either secret verifies', () => {
    const [old, next] = [generateSecret(), generateSecret(64)];
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signWebhook({ id: 'msg_rot', timestamp, body: '{}', secrets: [next, old] });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(old).verify('{}', { ...headers })).not.toThrow();
    expect(() => new Webhook(next).verify('{}', { ...headers })).not.toThrow();
    expect(() => verifyWebhook(headers, '{}', [generateSecret()])).toThrow('no signature matches');
  });

  it('refuses a changed body, another id, an old timestamp and a missing header', () => {
    const secret = generateSecret();
    const now = new Date('2026-11-29T10:00:00Z');
    const timestamp = Math.floor(now.getTime() / 1000);
    const headers = signWebhook({ id: 'msg_1', timestamp, body: '{"a":1}', secrets: [secret] });
    expect(() => verifyWebhook(headers, '{"a":1}', [secret], { now })).not.toThrow();
    expect(() => verifyWebhook(headers, '{"a":2}', [secret], { now })).toThrow(WebhookSignatureError);
    expect(() => verifyWebhook({ ...headers, 'webhook-id': 'msg_2' }, '{"a":1}', [secret], { now })).toThrow(
      'no signature matches',
    );
    const later = new Date(now.getTime() + 301_000);
    expect(() => verifyWebhook(headers, '{"a":1}', [secret], { now: later })).toThrow('too far from now');
    const { ['webhook-signature']: _sig, ...unsigned } = headers;
    void _sig;
    expect(() => verifyWebhook(unsigned, '{"a":1}', [secret], { now })).toThrow('missing webhook-signature');
  });

  it('refuses malformed secrets, ids and timestamps when signing', () => {
    const ok = { id: 'msg_1', timestamp: 1, body: '', secrets: [generateSecret()] };
    expect(() => signWebhook({ ...ok, secrets: [] })).toThrow('no secret');
    expect(() => signWebhook({ ...ok, secrets: ['whsec_not base64!'] })).toThrow('not base64');
    expect(() => signWebhook({ ...ok, secrets: ['whsec_' + Buffer.alloc(8).toString('base64')] })).toThrow('24 to 64');
    expect(() => signWebhook({ ...ok, id: 'a.b' })).toThrow('webhook id');
    expect(() => signWebhook({ ...ok, id: 'a b' })).toThrow('webhook id');
    expect(() => signWebhook({ ...ok, timestamp: 1.5 })).toThrow('whole seconds');
    expect(() => generateSecret(16)).toThrow(RangeError);
    expect(generateSecret()).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  });
});
