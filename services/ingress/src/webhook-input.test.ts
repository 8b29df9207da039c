import { describe, expect, it } from 'vitest';
import { HttpProblem } from './problem';
import {
  parseCreateSubscription,
  parseDeliveryQuery,
  parseReplaySince,
  parseUpdateSubscription,
} from './webhook-input';

const pointers = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof HttpProblem) return (err.extra.errors ?? []).map((e) => e.pointer);
    throw err;
  }
  throw new Error('no problem raised');
};

describe('webhooks API input', () => {
  it('takes a subscription with only known fields, known events and a short description', () => {
    expect(parseCreateSubscription({ url: 'https://x.test/', events: ['job.failed'] })).toEqual({
      url: 'https://x.test/',
      events: ['job.failed'],
    });
    expect(pointers(() => parseCreateSubscription({ url: 'https://x.test/', secret: 'mine' }))).toEqual(['/secret']);
    expect(pointers(() => parseCreateSubscription({ url: 'https://x.test/', events: ['job.hacked'] }))).toEqual([
      '/events/0',
    ]);
    expect(pointers(() => parseCreateSubscription({ url: 'https://x.test/', description: 'x'.repeat(501) }))).toEqual([
      '/description',
    ]);
    expect(pointers(() => parseCreateSubscription({ events: [] }))).toEqual(['/url']);
    expect(pointers(() => parseCreateSubscription([]))).toEqual(['']);
  });

  it('takes a change of at least one field', () => {
    expect(parseUpdateSubscription({ enabled: false })).toEqual({ enabled: false });
    expect(parseUpdateSubscription({ description: null })).toEqual({ description: null });
    expect(pointers(() => parseUpdateSubscription({}))).toEqual(['']);
    expect(pointers(() => parseUpdateSubscription({ enabled: 'no' }))).toEqual(['/enabled']);
  });

  it('takes a replay since a date-time that is not in the future', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    expect(parseReplaySince({ since: '2029-12-31T23:00:00Z' }, now)).toEqual(new Date('2029-12-31T23:00:00Z'));
    expect(pointers(() => parseReplaySince({ since: '2030-01-01T00:00:01Z' }, now))).toEqual(['/since']);
    expect(pointers(() => parseReplaySince({ since: 'yesterday' }, now))).toEqual(['/since']);
    expect(pointers(() => parseReplaySince({}, now))).toEqual(['/since']);
  });

  it('parses delivery queries strictly', () => {
    expect(parseDeliveryQuery({})).toEqual({ limit: 50 });
    expect(parseDeliveryQuery({ state: 'dead', limit: '200', before: '2030-01-01T00:00:00.123Z' })).toEqual({
      state: 'dead',
      limit: 200,
      before: new Date('2030-01-01T00:00:00.123Z'),
    });
    expect(pointers(() => parseDeliveryQuery({ before: 'garbage', limit: '0', state: 'lost', x: '1' }))).toEqual([
      '/query/before',
      '/query/limit',
      '/query/state',
      '/query/x',
    ]);
    expect(pointers(() => parseDeliveryQuery({ limit: ['1', '2'] }))).toEqual(['/query/limit']);
  });
});
