/**
 * A token bucket per tenant, in this replica's memory: `ratePerSecond` tokens a second, at most
 * `burst` saved up. Written here rather than taken from a library because the libraries at hand
 * (rate-limiter-flexible and friends) count fixed or sliding windows, and a bucket is the
 * behaviour asked for and a dozen lines. With N replicas the cluster-wide rate is N × this.
 */
export interface RateLimiter {
  /** Take one token; undefined when allowed, else the seconds until one is available. */
  take(tenant: string): number | undefined;
}

export function createRateLimiter(opts: { ratePerSecond: number; burst: number; now?: () => number }): RateLimiter {
  const now = opts.now ?? (() => performance.now());
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(tenant) {
      const t = now();
      const b = buckets.get(tenant) ?? { tokens: opts.burst, at: t };
      b.tokens = Math.min(opts.burst, b.tokens + ((t - b.at) / 1000) * opts.ratePerSecond);
      b.at = t;
      buckets.set(tenant, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return undefined;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / opts.ratePerSecond));
    },
  };
}
