/**
 * The retry schedule: the delay before each attempt, the first usually 0 (at once). A delivery
 * gets as many attempts as the schedule has entries; after the last it is dead-lettered.
 */
export type RetrySchedule = readonly number[];

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const MAX_DELAY_MS = 7 * 86_400_000;

/** `0, 5s, 5m, 30m, 2h` → milliseconds; throws naming the first bad entry. */
export function parseSchedule(text: string): RetrySchedule {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0 || entries.length > 30) throw new Error('must list 1 to 30 delays');
  return entries.map((entry) => {
    const m = /^(\d{1,9})(ms|s|m|h|d)?$/.exec(entry);
    if (!m) throw new Error(`"${entry.slice(0, 20)}" is not a delay (such as 0, 250ms, 5s, 5m, 2h)`);
    const ms = Number(m[1]) * UNITS[m[2] ?? 'ms']!;
    if (ms > MAX_DELAY_MS) throw new Error(`"${entry}" is longer than 7 days`);
    return ms;
  });
}

export const DEFAULT_SCHEDULE = '0, 5s, 5m, 30m, 2h, 5h, 10h, 10h';

/** How much a delay is spread either way, so retries of many deliveries do not arrive together. */
const JITTER = 0.2;
/** A receiver's Retry-After is honoured up to this (a day); beyond it the schedule's delay applies. */
const MAX_RETRY_AFTER_MS = 86_400_000;

/**
 * When the attempt after `attemptsMade` failed attempts is due, or null when the schedule is
 * spent. `retryAfterMs` (429/503 `Retry-After`) is honoured: never earlier than the receiver asked.
 */
export function nextAttemptDelay(
  schedule: RetrySchedule,
  attemptsMade: number,
  retryAfterMs: number | null,
  random: () => number = Math.random,
): number | null {
  if (attemptsMade >= schedule.length) return null;
  const base = schedule[attemptsMade]!;
  const jittered = Math.round(base * (1 + JITTER * (2 * random() - 1)));
  if (retryAfterMs === null || retryAfterMs > MAX_RETRY_AFTER_MS) return jittered;
  return Math.max(jittered, retryAfterMs);
}
