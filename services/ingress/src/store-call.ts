import type { Collection, Document, OptionalUnlessRequiredId } from '@longhaul/mongo';
import { HttpProblem } from './problem';

/** MongoDB's duplicate-key error: the one store failure that is an answer, not an outage. */
export const isDuplicateKey = (err: unknown): boolean =>
  (err as { code?: unknown }).code === 11000 ||
  ((err as { writeErrors?: { code?: unknown }[] }).writeErrors ?? []).some((e) => e.code === 11000);

/**
 * Insert documents that may exist already (from an earlier try): those are left as they are,
 * the rest go in; any other failure is thrown.
 */
export async function insertMissing<T extends Document>(
  coll: Collection<T>,
  docs: OptionalUnlessRequiredId<T>[],
): Promise<void> {
  await coll.insertMany(docs, { ordered: false }).catch((err: unknown) => {
    if (!isDuplicateKey(err)) throw err;
  });
}

/** A MongoDB call whose failure means "try again later" (503), not "your request was wrong". */
export async function storeCall<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (isDuplicateKey(err)) throw err;
    throw new HttpProblem('unavailable', 'the job store is unavailable; retry', {
      headers: { 'Retry-After': '2' },
      cause: err,
    });
  }
}
