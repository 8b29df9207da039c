import { hourOf, type JobDocument } from '@longhaul/contracts';
import { collections, ensureIndexes, hasTtlIndexes, type Db, type Document, type Filter } from '@longhaul/mongo';

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

const HOUR = 3_600_000;
/** An hour's bucket is done with once every write stamped with it is surely visible. */
const SETTLE_MS = 5 * 60_000;
/** How often a sweep also reads the whole collection for due jobs (whatever their bucket). */
const FULL_SCAN_EVERY_MS = 24 * HOUR;
/** Deletes per command: each is an `_id` (or `target`) equality FerretDB hands to PostgreSQL. */
const DELETES_PER_COMMAND = 16;

interface SweepMarker {
  _id: string;
  /** Hours before this one hold no due job (see `sweepHour` on the job document). */
  nextHour: number;
  fullScanAt: Date;
}

export function createRetentionSweeper(db: Db, settings: SweeperSettings): RetentionSweeper {
  const name = settings.jobsCollection;
  const collectionName = () => (typeof name === 'string' ? name : name());
  const coll = () => db.collection<JobDocument>(collectionName());
  const markers = db.collection<SweepMarker>(collections.readModels);
  // A job's records in the other stores, removed before its document. Each is keyed by job id.
  const jobScoped: { collection: string; field: string }[] = [
    { collection: collections.acceptances, field: '_id' },
    { collection: collections.jobRuns, field: '_id' },
    { collection: collections.jobRunFences, field: 'target' },
    { collection: collections.deadLetters, field: '_id' },
    { collection: collections.redrives, field: '_id' },
  ];
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /**
   * Delete by one equality per id, a few to a command: FerretDB 1.24 hands `$in` and ranges to
   * no one and reads the whole collection for them, but passes an equality on to PostgreSQL.
   */
  async function deleteEach(collection: string, field: string, ids: readonly string[], extra: Filter<Document> = {}) {
    let deleted = 0;
    for (let i = 0; i < ids.length; i += DELETES_PER_COMMAND) {
      const ops = ids
        .slice(i, i + DELETES_PER_COMMAND)
        .map((id) => ({ deleteMany: { filter: { [field]: id, ...extra } } }));
      deleted += (await db.collection(collection).bulkWrite(ops, { ordered: false })).deletedCount;
    }
    return deleted;
  }

  /** Remove these due jobs: every other record first, the documents last. */
  async function remove(ids: readonly string[], now: Date): Promise<number> {
    if (ids.length === 0) return 0;
    for (const store of jobScoped) await deleteEach(store.collection, store.field, ids);
    // Only documents still final and due: a final job stays final, so this is every one of them.
    return deleteEach(collectionName(), '_id', ids, { expiresAt: { $lte: now } });
  }

  /** Up to a batch of due jobs: in one hour's bucket, or (hour null) anywhere. */
  async function dueBatch(now: Date, hour: number | null): Promise<string[]> {
    const filter = (
      hour === null ? { expiresAt: { $lte: now } } : { sweepHour: hour, expiresAt: { $lte: now } }
    ) as Filter<JobDocument>;
    const due = await coll()
      .find(filter, { projection: { _id: 1 } })
      .limit(settings.batchSize)
      .toArray();
    return due.map((d) => d._id);
  }

  return {
    async sweep(now = new Date()) {
      let removed = 0;
      let batches = 0;
      const markerId = `sweep:${collectionName()}`;
      const marker = await markers.findOne({ _id: markerId });
      /** Sweep one bucket (or everything) until it has nothing due; false if cut short. */
      const drain = async (hour: number | null): Promise<boolean> => {
        for (;;) {
          if (batches >= settings.maxBatches) return false;
          const ids = await dueBatch(now, hour);
          batches++;
          removed += await remove(ids, now);
          if (ids.length < settings.batchSize) return true;
          if (settings.pauseMs) await pause(settings.pauseMs);
        }
      };
      const currentHour = hourOf(now);
      let nextHour = marker?.nextHour ?? currentHour;
      let fullScanAt = marker?.fullScanAt ?? null;
      // Rarely (and on a collection never swept): everything due, whatever its bucket.
      if (!fullScanAt || now.getTime() - fullScanAt.getTime() >= FULL_SCAN_EVERY_MS) {
        if (await drain(null)) fullScanAt = now;
      }
      // Then each hour's bucket from the first not yet done: one equality query each.
      for (let hour = nextHour; hour <= currentHour; hour++) {
        if (!(await drain(hour))) break;
        if ((hour + 1) * HOUR + SETTLE_MS <= now.getTime() && hour === nextHour) nextHour = hour + 1;
      }
      if (fullScanAt && (marker?.nextHour !== nextHour || marker.fullScanAt.getTime() !== fullScanAt.getTime()))
        await markers.updateOne({ _id: markerId }, { $set: { nextHour, fullScanAt } }, { upsert: true });
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
      // The sweeper finds due jobs by `sweepHour` (equality); on MongoDB a TTL index on
      // `expiresAt` is the backstop. FerretDB has no TTL, and an `expiresAt` index would serve
      // nothing there (it hands no range to PostgreSQL) while every insert paid for it.
      await ensureIndexes(coll(), [
        { key: { sweepHour: 1 }, name: 'sweep_hour' },
        ...((await hasTtlIndexes(db))
          ? [{ key: { expiresAt: 1 }, name: 'expires_at_ttl_backstop', expireAfterSeconds: TTL_BACKSTOP_SECONDS }]
          : []),
      ]);
    },
  };
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
