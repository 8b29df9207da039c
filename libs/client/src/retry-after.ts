/**
 * `Retry-After` in milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3); undefined
 * when absent or unreadable. A date in the past is 0.
 */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** How long to wait before asking again: the server's hint, kept within [min, max]; `fallback` without one. */
export function pollDelayMs(
  hint: number | undefined,
  bounds: { minMs: number; maxMs: number; fallbackMs: number },
): number {
  return Math.min(bounds.maxMs, Math.max(bounds.minMs, hint ?? bounds.fallbackMs));
}
