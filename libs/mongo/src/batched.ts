import { createGroupCommit } from '@longhaul/batching';
import type {
  AnyBulkWriteOperation,
  Collection,
  Document,
  Filter,
  MatchKeysAndValues,
  OptionalUnlessRequiredId,
} from 'mongodb';

/**
 * Group-committed access by `_id`: concurrent callers share one round trip (a `$in` find, an
 * unordered `insertMany`, an unordered `bulkWrite`), the next batch going as soon as the one in
 * flight returns. On FerretDB every command costs a translation and a PostgreSQL transaction, so
 * a processor running many jobs at once spends a fraction of the database time it would one
 * document at a time. Each caller still gets its own answer.
 */
const MAX_BATCH = 500;
const isDuplicate = (err: unknown) =>
  (err as { code?: unknown }).code === 11000 ||
  ((err as { writeErrors?: unknown }).writeErrors !== undefined &&
    ((err as { writeErrors: { code?: unknown }[] }).writeErrors ?? []).every((e) => e.code === 11000));

/** Find documents by `_id`, many callers per query. */
export function batchedFindById<T extends Document & { _id: string }>(
  collection: Collection<T>,
  projection?: Document,
): (id: string) => Promise<T | null> {
  const reads = createGroupCommit<string, T | null>(
    async (ids) => {
      const found = await collection
        .find({ _id: { $in: [...new Set(ids)] } } as Filter<T>, projection ? { projection } : {})
        .toArray();
      const byId = new Map<string, T>(found.map((d) => [d._id as string, d as T]));
      return ids.map((id) => byId.get(id) ?? null);
    },
    { maxBatch: MAX_BATCH },
  );
  return (id) => reads.submit(id);
}

/**
 * Insert documents whose `_id` may already exist: resolves true for the caller whose document
 * went in, false for one that found another there. Which is which is read back when the batch
 * hits a duplicate (servers differ in what an unordered batch does after one), using `mine` to
 * recognise a caller's own document.
 */
export function batchedInsertUnique<T extends Document & { _id: string }>(
  collection: Collection<T>,
  mine: (stored: T, attempted: T) => boolean,
): (doc: T) => Promise<boolean> {
  const inserts = createGroupCommit<T, boolean>(
    async (docs) => {
      try {
        await collection.insertMany(docs as OptionalUnlessRequiredId<T>[], { ordered: false });
        return docs.map(() => true);
      } catch (err) {
        if (!isDuplicate(err)) throw err;
        const stored = await collection.find({ _id: { $in: docs.map((d) => d._id) } } as Filter<T>).toArray();
        const byId = new Map<string, T>(stored.map((d) => [d._id as string, d as T]));
        return docs.map((d) => {
          const s = byId.get(d._id);
          return s !== undefined && mine(s, d);
        });
      }
    },
    { maxBatch: MAX_BATCH },
  );
  return (doc) => inserts.submit(doc);
}

/** `$set` fields on documents by `_id`, many callers per unordered bulk write. */
export function batchedSetById<T extends Document & { _id: string }>(
  collection: Collection<T>,
): (id: string, fields: MatchKeysAndValues<T>) => Promise<void> {
  const writes = createGroupCommit<{ id: string; fields: MatchKeysAndValues<T> }, void>(
    async (items) => {
      const ops: AnyBulkWriteOperation<T>[] = items.map(({ id, fields }) => ({
        updateOne: { filter: { _id: id } as Filter<T>, update: { $set: fields } },
      }));
      await collection.bulkWrite(ops, { ordered: false });
      return items.map(() => undefined);
    },
    { maxBatch: MAX_BATCH },
  );
  return (id, fields) => writes.submit({ id, fields });
}
