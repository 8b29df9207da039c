/** How many jobs this process runs (or is about to run) at once: its per-pod concurrency. */
export interface Slots {
  tryAcquire(): boolean;
  /** Wait for a free slot (takeovers and due retries queue here). */
  acquire(): Promise<void>;
  /** Wait at most `ms` for a free slot; false if none freed up in time. */
  acquireWithin(ms: number): Promise<boolean>;
  release(): void;
  readonly inUse: number;
  readonly limit: number;
  /** Called whenever a slot frees up. */
  onFree(listener: () => void): void;
}

export function createSlots(limit: number): Slots {
  let inUse = 0;
  let waiters: (() => void)[] = [];
  const listeners: (() => void)[] = [];
  return {
    tryAcquire() {
      if (inUse >= limit) return false;
      inUse += 1;
      return true;
    },
    acquire() {
      if (inUse < limit) {
        inUse += 1;
        return Promise.resolve();
      }
      return new Promise((resolve) => waiters.push(resolve));
    },
    acquireWithin(ms) {
      if (inUse < limit) {
        inUse += 1;
        return Promise.resolve(true);
      }
      return new Promise((resolve) => {
        const waiter = () => {
          clearTimeout(timer);
          resolve(true);
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          resolve(false);
        }, ms);
        waiters.push(waiter);
      });
    },
    release() {
      const next = waiters.shift();
      if (next) {
        next();
        return;
      }
      inUse = Math.max(0, inUse - 1);
      for (const l of listeners) l();
    },
    get inUse() {
      return inUse;
    },
    limit,
    onFree(listener) {
      listeners.push(listener);
    },
  };
}
