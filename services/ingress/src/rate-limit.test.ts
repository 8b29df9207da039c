import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit';

describe('per-tenant token bucket', () => {
  it('allows a burst, then refills at the rate, per tenant', () => {
    let t = 0;
    const limiter = createRateLimiter({ ratePerSecond: 2, burst: 3, now: () => t });
    expect([1, 2, 3].map(() => limiter.take('a'))).toEqual([undefined, undefined, undefined]);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBeUndefined();
    t = 500; // half a second: one token back
    expect(limiter.take('a')).toBeUndefined();
    expect(limiter.take('a')).toBe(1);
    t = 60_000; // never more than the burst
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([undefined, undefined, undefined, 1]);
  });
});
