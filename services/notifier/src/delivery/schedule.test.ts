import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULE, nextAttemptDelay, parseSchedule } from './schedule';

describe('retry schedule', () => {
  it('parses the default: at once, then 5 s … 10 h, eight attempts', () => {
    expect(parseSchedule(DEFAULT_SCHEDULE)).toEqual([
      0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ]);
  });

  it('refuses what is not a list of delays', () => {
    expect(() => parseSchedule('')).toThrow(/1 to 30/);
    expect(() => parseSchedule('0, five')).toThrow(/"five" is not a delay/);
    expect(() => parseSchedule('-5s')).toThrow(/not a delay/);
    expect(() => parseSchedule('8d')).toThrow(/longer than 7 days/);
  });

  it('spreads each delay by at most a fifth either way', () => {
    const schedule = parseSchedule('0, 10s');
    expect(nextAttemptDelay(schedule, 0, null, () => 0.5)).toBe(0);
    expect(nextAttemptDelay(schedule, 1, null, () => 0)).toBe(8_000);
    expect(nextAttemptDelay(schedule, 1, null, () => 1)).toBe(12_000);
  });

  it('is spent after its last entry', () => {
    expect(nextAttemptDelay(parseSchedule('0, 1s'), 2, null)).toBeNull();
  });

  it('never retries before a Retry-After, and ignores one over a day', () => {
    const schedule = parseSchedule('0, 5s');
    expect(nextAttemptDelay(schedule, 1, 60_000, () => 0.5)).toBe(60_000);
    expect(nextAttemptDelay(schedule, 1, 1_000, () => 0.5)).toBe(5_000);
    expect(nextAttemptDelay(schedule, 1, 2 * 86_400_000, () => 0.5)).toBe(5_000);
  });
});
