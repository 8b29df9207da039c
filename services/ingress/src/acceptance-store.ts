import { createGroupCommit } from '@longhaul/batching';
import { collections, fromJsonText, type Collection, type Db } from '@longhaul/mongo';
import { insertMissing, isDuplicateKey } from './store-call';

/**
 * Acceptance records and their outbox: the promise behind every `202`.
 *
 * Per request: an outbox entry and the acceptance record (what status reads fall back to),
 * written side by side, then `JobRequested` is produced, then the outbox entry is deleted.
 * An entry still there after the produce timeout plus a margin belongs to a request that died
 * mid-way; the relay claims it (compare-and-set) and publishes its acceptance — or drops it
 * when there is none (no `202` was ever given). A request that dies with its record written but
 * not its entry leaves a record nobody can reach (its id was never answered); a retry with the
 * same Idempotency-Key takes it over and publishes it (acceptJob). A request that gives up
 * deletes its own entry first (compare-and-set against the relay) and marks the record
 * rejected: a 503 is final.
 *
 * Hot-path writes are group-committed inserts and deletes, lookups are by `_id` alone (the
 * tenant is checked in code), and the only scans are of the outbox, which holds just the
 * requests in flight: the cheapest operations FerretDB has.
 */
export type AcceptanceState = 'accepted' | 'rejected';

export interface AcceptanceRecord {
  _id: string;
  tenant: string;
  type: string;
  state: AcceptanceState;
  createdAt: Date;
  rejectedAt: Date | null;
  cancelRequestedAt: Date | null;
  /** Everything needed to (re)publish the very same JobRequested. */
  request: {
    eventId: string;
    payload: string;
    maxAttempts: number;
    timeoutMs: number;
    webhook: { url: string; events: string[]; sealedSecret: string | null } | null;
    traceHeaders: Record<string, string>;
    /** The dead-lettered job this one redrives (absent on records written before redrive existed). */
    redriveOf?: string | null;
  };
}

/** As stored: `request` is JSON text (nothing filters on its fields; see fromJsonText). */
type StoredAcceptance = Omit<AcceptanceRecord, 'request'> & { request: string | AcceptanceRecord['request'] };

function toStored(record: AcceptanceRecord): StoredAcceptance {
  return { ...record, request: JSON.stringify(record.request) };
}

function fromStored(stored: StoredAcceptance): AcceptanceRecord {
  return { ...stored, request: fromJsonText(stored.request) };
}

interface OutboxEntry {
  _id: string;
  createdAt: Date;
  /** Set while the relay publishes it, so two replicas do not both do so. */
  claimedUntil: Date | null;
}

export interface AcceptanceStore {
  /** Write the outbox entry and the record; a duplicate id rejects with code 11000. */
  insert(record: AcceptanceRecord): Promise<void>;
  /** The record, if it exists and belongs to this tenant. */
  find(id: string, tenant: string): Promise<AcceptanceRecord | null>;
  /** Kafka has it: drop the outbox entry (soon, together with others). */
  markPublished(id: string): Promise<void>;
  /** Write what is waiting (outbox drops) and stop the timer; before the database closes. */
  flush(): Promise<void>;
  /** Give up on it (answered 503); false when the relay claimed it first and will publish. */
  reject(id: string): Promise<boolean>;
  /** Set the cancel flag once (on a record already read); the record after, or null when rejected. */
  requestCancel(record: AcceptanceRecord, at: Date): Promise<AcceptanceRecord | null>;
  /** Claim the oldest entry older than `olderThan` whose record is accepted, for republication. */
  claimStranded(olderThan: Date, leaseMs: number): Promise<AcceptanceRecord | null>;
}

const PUBLISHED_FLUSH_MS = 500;

export function createAcceptanceStore(db: Db): AcceptanceStore {
  const records: Collection<StoredAcceptance> = db.collection<StoredAcceptance>(collections.acceptances);
  const outbox: Collection<OutboxEntry> = db.collection<OutboxEntry>(collections.acceptanceOutbox);

  // Inserts and "published" deletes share one group-commit queue.
  type Write = { kind: 'insert'; record: AcceptanceRecord } | { kind: 'published'; id: string };
  const writes = createGroupCommit<Write, void>(
    async (batch) => {
      const results: (Error | undefined)[] = batch.map(() => undefined);
      const inserts = batch.flatMap((w, i) => (w.kind === 'insert' ? [{ i, record: w.record }] : []));
      const published = batch.flatMap((w) => (w.kind === 'published' ? [w.id] : []));
      if (inserts.length > 0) {
        const settled = await insertAll(inserts.map((x) => x.record));
        inserts.forEach((x, k) => (results[x.i] = settled[k]));
      }
      if (published.length > 0) await outbox.deleteMany({ _id: { $in: published } });
      return results;
    },
    // Two batches in flight: PostgreSQL under FerretDB takes concurrent writers well, and a
    // batch no longer waits for the round trips of the one before it.
    { maxBatch: 1_000, concurrency: 2 },
  );

  /** The outbox entries and the records, side by side; a duplicate is reported to its caller alone. */
  async function insertAll(batch: AcceptanceRecord[]): Promise<(Error | undefined)[]> {
    const [, settled] = await Promise.all([
      // An entry that already exists (an idempotency takeover) is pending again: fine.
      insertMissing(
        outbox,
        batch.map((r) => ({ _id: r._id, createdAt: r.createdAt, claimedUntil: null })),
      ),
      records.insertMany(batch.map(toStored), { ordered: false }).then(
        () => batch.map(() => undefined),
        (err: unknown) => {
          if (!isDuplicateKey(err)) throw err;
          // Servers differ in whether the rest of an unordered batch went in: settle each
          // record on its own.
          return Promise.all(batch.map((r) => insertOne(r)));
        },
      ),
    ]);
    return settled;
  }

  async function insertOne(r: AcceptanceRecord): Promise<Error | undefined> {
    try {
      await records.insertOne(toStored(r));
      return undefined;
    } catch (e) {
      if (!isDuplicateKey(e)) return e instanceof Error ? e : new Error(String(e));
      const found = await records.findOne({ _id: r._id });
      const existing = found && fromStored(found);
      return existing?.request.eventId === r.request.eventId ? undefined : (e as Error);
    }
  }

  let publishedIds: string[] = [];
  function flushPublished(): void {
    const ids = publishedIds;
    publishedIds = [];
    for (const id of ids) void writes.submit({ kind: 'published', id }).catch(() => undefined);
  }
  const publishedTimer = setInterval(flushPublished, PUBLISHED_FLUSH_MS);
  publishedTimer.unref();

  async function find(id: string, tenant?: string): Promise<AcceptanceRecord | null> {
    const found = await records.findOne({ _id: id });
    const record = found && fromStored(found);
    return record && (tenant === undefined || record.tenant === tenant) ? record : null;
  }

  return {
    insert: (record) => writes.submit({ kind: 'insert', record }),
    find,
    markPublished(id) {
      // Deletes wait and go together (at most every PUBLISHED_FLUSH_MS): the relay only looks
      // at entries older than the produce timeout plus a margin, so nothing is republished.
      publishedIds.push(id);
      if (publishedIds.length >= 1_000) flushPublished();
      return Promise.resolve();
    },
    async flush() {
      clearInterval(publishedTimer);
      flushPublished();
      await writes.drain();
    },
    async reject(id) {
      const res = await outbox.deleteOne({ _id: id, claimedUntil: null });
      if (res.deletedCount !== 1) return false;
      await records.updateOne({ _id: id }, { $set: { state: 'rejected', rejectedAt: new Date() } });
      return true;
    },
    async requestCancel(record, at) {
      if (record.state === 'rejected') return null;
      if (record.cancelRequestedAt !== null) return record;
      await records.updateOne({ _id: record._id }, { $set: { cancelRequestedAt: at } });
      return { ...record, cancelRequestedAt: at };
    },
    async claimStranded(olderThan, leaseMs) {
      for (;;) {
        const now = new Date();
        const entry = await outbox.findOneAndUpdate(
          { createdAt: { $lt: olderThan }, $or: [{ claimedUntil: null }, { claimedUntil: { $lt: now } }] },
          { $set: { claimedUntil: new Date(now.getTime() + leaseMs) } },
          { sort: { createdAt: 1 }, returnDocument: 'after' },
        );
        if (!entry) return null;
        const record = await find(entry._id);
        if (record?.state === 'accepted') return record;
        // No record (the request died before writing it, so no 202 was given) or rejected.
        await outbox.deleteOne({ _id: entry._id });
      }
    },
  };
}
