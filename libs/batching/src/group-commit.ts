/**
 * Group commit: callers submit items one at a time and each gets its own promise; items that
 * arrive while a flush is in flight wait and go together in the next one. One caller alone is
 * flushed at once (no linger, so no added latency); many concurrent callers share round trips,
 * which is what lets a store that serializes writes (FerretDB on SQLite) or a producer with one
 * request in flight (kafkajs' idempotent producer) keep up.
 *
 * Written here rather than bending DataLoader (a keyed, caching loader that batches per tick)
 * into "next batch after the current one finishes", which is the behaviour needed.
 */
export interface GroupCommit<T, R> {
  submit(item: T): Promise<R>;
  /** Resolves when everything submitted so far has been flushed. */
  drain(): Promise<void>;
}

/**
 * `flush` receives a batch and returns one result per item, in order: a value, or an Error for
 * that item alone. If `flush` throws, every item of the batch fails with that error.
 */
export function createGroupCommit<T, R>(
  flush: (items: T[]) => Promise<(R | Error)[]>,
  opts: { maxBatch: number; concurrency?: number },
): GroupCommit<T, R> {
  interface Pending {
    item: T;
    resolve: (r: R) => void;
    reject: (e: unknown) => void;
  }
  const queue: Pending[] = [];
  const maxInFlight = opts.concurrency ?? 1;
  let inFlight = 0;
  let idle: (() => void)[] = [];

  function pump(): void {
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, opts.maxBatch);
      inFlight++;
      void run(batch).finally(() => {
        inFlight--;
        if (queue.length > 0) pump();
        else if (inFlight === 0) {
          const waiting = idle;
          idle = [];
          for (const w of waiting) w();
        }
      });
    }
  }

  async function run(batch: Pending[]): Promise<void> {
    try {
      const results = await flush(batch.map((p) => p.item));
      if (results.length !== batch.length)
        throw new Error(`flush returned ${results.length} results for ${batch.length} items`);
      batch.forEach((p, i) => {
        const r = results[i] as R | Error;
        if (r instanceof Error) p.reject(r);
        else p.resolve(r);
      });
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        pump();
      });
    },
    drain() {
      if (inFlight === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
  };
}
