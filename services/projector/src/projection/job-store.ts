import type { JobDocument, JobProgress, PendingStateChange } from '@longhaul/contracts';
import {
  collections,
  ensureIndexes,
  MongoBulkWriteError,
  type AnyBulkWriteOperation,
  type Db,
  type IndexSpec,
  type WriteError,
} from '@longhaul/mongo';

/** A document to write, and the version it was read at (null: there was none). */
export interface JobWrite {
  readonly doc: JobDocument;
  readonly readVersion: number | null;
}

export interface JobStore {
  load(ids: readonly string[]): Promise<Map<string, JobDocument>>;
  /**
   * Write every document in one unordered bulk write, each guarded by the version it was read
   * at; returns the ids whose guard lost (someone wrote the job in between: read it again).
   * Any other failure throws, and nothing of the batch may be assumed written.
   */
  write(writes: readonly JobWrite[]): Promise<{ conflicts: string[] }>;
  ensureIndexes(): Promise<void>;
}

const DUPLICATE_KEY = 11000;

/** The list route's filters (tenant + created time, status or type; ids sort by time). The sweeper adds its own. */
const readModelIndexes: readonly IndexSpec[] = [
  { key: { tenant: 1, _id: -1 }, name: 'tenant_id' },
  { key: { tenant: 1, status: 1, _id: -1 }, name: 'tenant_status_id' },
  { key: { tenant: 1, type: 1, _id: -1 }, name: 'tenant_type_id' },
];

/**
 * Statements per update command. FerretDB 1.24 runs an update command's statements at once, each
 * holding a PostgreSQL connection while it may wait for a second, and deadlocks for good once the
 * commands in flight need more than its pool (`pool_max_conns`): every later command waits
 * forever. Small commands, `writeLanes` at a time: keep 2 × 16 × lanes well under the pool.
 */
const UPDATES_PER_COMMAND = 16;
/** Documents per insert command (FerretDB writes an insert batch in one statement: fast). */
const INSERTS_PER_COMMAND = 500;
/** Reads by `_id` at once: FerretDB answers `_id` equality by index, but scans for `$in`. */
const READS_AT_ONCE = 16;

/**
 * A document as stored: its pending changes as one JSON text. FerretDB converts every field of a
 * document on each write, and the changes (up to one per event of a batch, each a snapshot of
 * the job) are most of them: as an array they made an insert cost 2.7 times the database CPU
 * (10,000 projected documents of six changes: 6.2 s as an array, 2.3 s as text). Nothing but the
 * projector reads them. A document stored with an array (before this) is read as well.
 */
export type StoredJobDocument = Omit<JobDocument, 'pendingChanges'> & {
  pendingChanges: string | PendingStateChange[];
};

export function toStored(doc: JobDocument): StoredJobDocument {
  return { ...doc, pendingChanges: JSON.stringify(doc.pendingChanges) };
}

/** A pending change after a round trip through JSON: its times are ISO strings. */
type ChangeAsJson = Omit<
  PendingStateChange,
  'cause' | 'progress' | 'nextAttemptAt' | 'startedAt' | 'finishedAt' | 'appliedAt'
> & {
  cause: Omit<PendingStateChange['cause'], 'time'> & { time: string };
  progress: (Omit<JobProgress, 'updatedAt'> & { updatedAt: string }) | null;
  nextAttemptAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  appliedAt: string;
};

export function fromStored(stored: StoredJobDocument): JobDocument {
  const { pendingChanges } = stored;
  if (typeof pendingChanges !== 'string') return { ...stored, pendingChanges };
  const date = (v: string | null) => (v === null ? null : new Date(v));
  return {
    ...stored,
    pendingChanges: (JSON.parse(pendingChanges) as ChangeAsJson[]).map((c) => ({
      ...c,
      cause: { ...c.cause, time: new Date(c.cause.time) },
      progress: c.progress && { ...c.progress, updatedAt: new Date(c.progress.updatedAt) },
      nextAttemptAt: date(c.nextAttemptAt),
      startedAt: date(c.startedAt),
      finishedAt: date(c.finishedAt),
      appliedAt: new Date(c.appliedAt),
    })),
  };
}

/**
 * The store on the read model's collection: a name, or a function giving the current one (the
 * live projector follows the read-model pointer, which a rebuild moves).
 */
export function createJobStore(
  db: Db,
  collectionName: string | (() => string) = collections.jobs,
  opts: { writeLanes?: number } = {},
): JobStore {
  const writeLanes = opts.writeLanes ?? 1;
  const name = typeof collectionName === 'string' ? () => collectionName : collectionName;
  const coll = () => db.collection<StoredJobDocument>(name());

  /** Run one bulk write; the ids whose guard lost (duplicate key), or throw for anything else. */
  async function bulk(ops: AnyBulkWriteOperation<StoredJobDocument>[], ids: readonly string[]): Promise<string[]> {
    try {
      const res = await coll().bulkWrite(ops, { ordered: false });
      const done = res.insertedCount + res.matchedCount + res.upsertedCount;
      if (done !== ops.length) throw new Error(`bulk write reported ${done} of ${ops.length} documents written`);
      return [];
    } catch (err) {
      if (!(err instanceof MongoBulkWriteError)) throw err;
      const errors: WriteError[] = ([] as WriteError[]).concat(err.writeErrors);
      if (errors.some((e) => e.code !== DUPLICATE_KEY)) throw err;
      const done = err.result.insertedCount + err.result.matchedCount + err.result.upsertedCount;
      if (done + errors.length !== ops.length)
        throw new Error(`bulk write accounted for ${done + errors.length} of ${ops.length} documents`, { cause: err });
      return errors.map((e) => ids[e.index]!);
    }
  }

  const ids = (group: readonly JobWrite[]) => group.map((w) => w.doc._id);
  const chunks = <T>(items: readonly T[], size: number): T[][] =>
    Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

  return {
    async load(ids) {
      const found = new Map<string, JobDocument>();
      const jobs = coll();
      for (const group of chunks(ids, READS_AT_ONCE)) {
        const docs = await Promise.all(group.map((id) => jobs.findOne({ _id: id })));
        for (const d of docs) if (d) found.set(d._id, fromStored(d));
      }
      return found;
    },

    async write(writes) {
      // A new document is inserted: if it exists after all, the insert fails with a duplicate
      // key for that document alone. A known one is replaced guarded by (_id, version) with
      // upsert: when the guard loses, the upsert tries to insert an `_id` that exists and fails
      // the same way. So every write either succeeded or is named in the errors. (FerretDB
      // ignores `ordered` on update batches: nothing depends on the order within one.)
      // New and known documents are different jobs: their commands go out side by side,
      // `writeLanes` at a time (inserts first: one statement each, however many documents).
      const conflicts: string[] = [];
      const commands = [
        ...chunks(
          writes.filter((w) => w.readVersion === null),
          INSERTS_PER_COMMAND,
        ).map(
          (group) => () =>
            bulk(
              group.map((w) => ({ insertOne: { document: toStored(w.doc) } })),
              ids(group),
            ),
        ),
        ...chunks(
          writes.filter((w) => w.readVersion !== null),
          UPDATES_PER_COMMAND,
        ).map(
          (group) => () =>
            bulk(
              group.map((w) => ({
                replaceOne: {
                  filter: { _id: w.doc._id, version: w.readVersion! },
                  replacement: toStored(w.doc),
                  upsert: true,
                },
              })),
              ids(group),
            ),
        ),
      ];
      let next = 0;
      const lane = async () => {
        while (next < commands.length) conflicts.push(...(await commands[next++]!()));
      };
      await Promise.all(Array.from({ length: Math.min(writeLanes, commands.length) }, lane));
      return { conflicts };
    },

    ensureIndexes: () => ensureIndexes(coll(), readModelIndexes),
  };
}
