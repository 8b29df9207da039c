import { describe, expect, it } from 'vitest';
import { pollDelayMs, retryAfterMs } from './retry-after';

describe('retryAfterMs', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  it('reads delay-seconds', () => {
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
  });
  it('reads an HTTP date, and a past one as 0', () => {
    expect(retryAfterMs('Sun, 01 Jun 2025 12:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Sun, 01 Jun 2025 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('-1', now)).toBeUndefined();
    expect(retryAfterMs('1.5', now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });
});

describe('pollDelayMs', () => {
  const bounds = { minMs: 200, maxMs: 10_000, fallbackMs: 1_000 };
  it('follows the hint within bounds, and the fallback without one', () => {
    expect(pollDelayMs(3_000, bounds)).toBe(3_000);
    expect(pollDelayMs(0, bounds)).toBe(200);
    expect(pollDelayMs(3_600_000, bounds)).toBe(10_000);
    expect(pollDelayMs(undefined, bounds)).toBe(1_000);
  });
});
