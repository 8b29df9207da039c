import type { JobDocument } from '@longhaul/contracts';
import { collections, ensureIndexes, type Db, type Filter } from '@longhaul/mongo';

/**
 * Retention. A job is kept for the retention period after it became final (`expiresAt` on its
 * read-model document) and then removed everywhere at once: its acceptance record, its run
 * record and the fences of its transitions, its dead letter and redrive entry, and last its
 * read-model document. That order is the point: `GET /v1/jobs/{id}` reads the document first
 * and falls back to the acceptance record, so the document must outlive every older record of
 * the job, or a finished job would read as `queued` again. A sweep cut short (a crash, an
 * outage) leaves the document in place, and the next sweep finds the job again and finishes.
 *
 * FerretDB has no TTL indexes, so this sweeper (small batches, a pause between them) is how
 * retention is enforced on every server; on MongoDB a TTL index is also created, set a day
 * past `expiresAt`, as a backstop should the sweeper stop for that long.
 */
export interface RetentionSweeper {
  /** Sweep until nothing is due (or `maxBatches` batches); returns how many jobs were removed. */
  sweep(now?: Date): Promise<{ jobs: number; rejectedAcceptances: number }>;
  ensureIndexes(): Promise<void>;
}

export interface SweeperSettings {
  /** The collection holding the read model, or a function giving the current one (a rebuild moves it). */
  readonly jobsCollection: string | (() => string);
  /** Jobs removed per batch. */
  readonly batchSize: number;
  /** Batches per sweep at most, so one sweep never holds the database for long. */
  readonly maxBatches: number;
  /** How long a refused request's acceptance record is kept (the same retention). */
  readonly retentionMs: number;
  /** Pause between batches, leaving room for the projector's own writes. */
  readonly pauseMs?: number;
}

/** The TTL backstop on servers that have TTL indexes: a day after the sweeper's deadline. */
export const TTL_BACKSTOP_SECONDS = 86_400;

export function createRetentionSweeper(db: Db, settings: SweeperSettings): RetentionSweeper {
  const name = settings.jobsCollection;
  const coll = () => db.collection<JobDocument>(typeof name === 'string' ? name : name());
  // A job's records in the other stores, removed before its document. Each is keyed by job id.
  const jobScoped: { collection: string; field: string }[] = [
    { collection: collections.acceptances, field: '_id' },
    { collection: collections.jobRuns, field: '_id' },
    { collection: collections.jobRunFences, field: 'target' },
    { collection: collections.deadLetters, field: '_id' },
    { collection: collections.redrives, field: '_id' },
  ];
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function sweepBatch(now: Date): Promise<number> {
    const jobs = coll();
    const due = await jobs
      .find({ expiresAt: { $lte: now } } as Filter<JobDocument>, { projection: { _id: 1 } })
      .limit(settings.batchSize)
      .toArray();
    const ids = due.map((d) => d._id);
    if (ids.length === 0) return 0;
    for (const store of jobScoped) {
      await db.collection(store.collection).deleteMany({ [store.field]: { $in: ids } });
    }
    // Only documents still final and due: a final job stays final, so this is every one of them.
    const res = await jobs.deleteMany({ _id: { $in: ids }, expiresAt: { $lte: now } });
    return res.deletedCount;
  }

  return {
    async sweep(now = new Date()) {
      let removed = 0;
      for (let batch = 0; batch < settings.maxBatches; batch++) {
        const n = await sweepBatch(now);
        removed += n;
        if (n < settings.batchSize) break;
        if (settings.pauseMs) await pause(settings.pauseMs);
      }
      // Acceptance records of requests the ingress refused never became jobs: same retention.
      const rejected = await db
        .collection(collections.acceptances)
        .deleteMany({ state: 'rejected', rejectedAt: { $lte: new Date(now.getTime() - settings.retentionMs) } });
      return { jobs: removed, rejectedAcceptances: rejected.deletedCount };
    },

    async ensureIndexes() {
      await ensureIndexes(db.collection(collections.jobRunFences), [{ key: { target: 1 }, name: 'target' }]);
      await ensureIndexes(db.collection(collections.acceptances), [
        { key: { state: 1, rejectedAt: 1 }, name: 'state_rejected_at' },
      ]);
      // One index on `expiresAt` serves the sweeper's query; where the server has TTL indexes it
      // is also the backstop (one key pattern cannot carry two indexes with different options).
      await ensureIndexes(coll(), [
        (await hasTtlIndexes(db))
          ? { key: { expiresAt: 1 }, name: 'expires_at_ttl_backstop', expireAfterSeconds: TTL_BACKSTOP_SECONDS }
          : { key: { expiresAt: 1 }, name: 'expires_at' },
      ]);
    },
  };
}

/** FerretDB answers `buildInfo` with a `ferretdbVersion`; it has no TTL indexes, MongoDB has. */
export async function hasTtlIndexes(db: Db): Promise<boolean> {
  const info = await db.admin().command({ buildInfo: 1 });
  return !('ferretdbVersion' in info);
}

/**
 * Sweep now and then every `intervalMs` (a sweep that fails is logged and counted; the next one
 * starts over). `stop()` waits for the sweep in progress.
 */
export function startSweeping(
  sweeper: RetentionSweeper,
  opts: {
    intervalMs: number;
    onSwept: (removed: { jobs: number; rejectedAcceptances: number }) => void;
    onError: (err: unknown) => void;
  },
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = sweeper.sweep().then(opts.onSwept, opts.onError);
    void running.then(() => {
      if (!stopped) timer = setTimeout(tick, opts.intervalMs).unref();
    });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
