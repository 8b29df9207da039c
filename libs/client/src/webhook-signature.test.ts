import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { verifyWebhook, WebhookVerificationError } from './webhook-signature';

// The reference implementation signs; ours verifies (and must refuse what it should).
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const other = 'whsec_ZGlmZmVyZW50LXNlY3JldC1kaWZmZXJlbnQtc2VjcmV0';
const body = JSON.stringify({ type: 'job.succeeded', timestamp: '2025-06-01T12:00:00.000Z', data: { id: 'x' } });
const at = new Date('2025-06-01T12:00:00Z');

function signed(by: string, payload = body) {
  const signature = new Webhook(by).sign('msg_1', at, payload);
  return { 'webhook-id': 'msg_1', 'webhook-timestamp': String(at.getTime() / 1000), 'webhook-signature': signature };
}

describe('verifyWebhook', () => {
  const now = at.getTime() + 10_000;

  it('accepts what standardwebhooks signed, from a plain record or Headers, and returns the body', () => {
    expect(verifyWebhook(secret, signed(secret), body, { now }).type).toBe('job.succeeded');
    expect(verifyWebhook(secret, new Headers(signed(secret)), Buffer.from(body), { now }).data.id).toBe('x');
  });

  it('accepts any matching signature among several, with any of several secrets (a rotation)', () => {
    const both = {
      ...signed(secret),
      'webhook-signature': `${signed(other)['webhook-signature']} ${signed(secret)['webhook-signature']}`,
    };
    expect(() => verifyWebhook([other], both, body, { now })).not.toThrow();
    expect(() =>
      verifyWebhook(['whsec_' + Buffer.alloc(32, 7).toString('base64'), secret], signed(secret), body, { now }),
    ).not.toThrow();
  });

  it('refuses another secret, a changed body, a changed id, and a missing header', () => {
    expect(() => verifyWebhook(other, signed(secret), body, { now })).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(secret, signed(secret), body.replace('x', 'y'), { now })).toThrow(
      /no signature matches/,
    );
    expect(() => verifyWebhook(secret, { ...signed(secret), 'webhook-id': 'msg_2' }, body, { now })).toThrow(
      /no signature/,
    );
    const { 'webhook-signature': _, ...unsigned } = signed(secret);
    expect(() => verifyWebhook(secret, unsigned, body, { now })).toThrow(/missing/);
  });

  it('refuses a timestamp outside the tolerance, either way', () => {
    expect(() => verifyWebhook(secret, signed(secret), body, { now: at.getTime() + 301_000 })).toThrow(/away from now/);
    expect(() => verifyWebhook(secret, signed(secret), body, { now: at.getTime() - 301_000 })).toThrow(/away from now/);
    expect(() =>
      verifyWebhook(secret, signed(secret), body, { now: at.getTime() + 301_000, toleranceSeconds: 600 }),
    ).not.toThrow();
  });
});
