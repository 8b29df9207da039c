import { randomUUID } from 'node:crypto';
import type { Collection, Db, Document, Filter, MatchKeysAndValues } from 'mongodb';

/**
 * Compare-and-set for FerretDB. Its conditional updates are not atomic (ten concurrent
 * `updateOne({_id, epoch: 1}, …)` on FerretDB 1.24/PostgreSQL all report a match; the
 * integration test `fences.test.ts` checks that this is still so), but an insert on a unique
 * `_id` is. So a transition of a document out of a state is won by inserting its fence,
 * `<id>/<state key>`; the fence carries the document's new fields, and whoever loses the race
 * writes them too (idempotent), so a winner that dies before its update is rolled forward.
 */
export interface FencedTransitions<T extends Document> {
  /**
   * Move document `id` out of the state `fromKey` names (`fromMatch` is how that state looks in
   * the document) to `to`. True for the winner, or for a repeat with the winner's `token`.
   */
  transition(
    id: string,
    fromKey: string,
    fromMatch: Filter<T>,
    to: MatchKeysAndValues<T>,
    token?: string,
  ): Promise<boolean>;
}

interface Fence {
  _id: string;
  target: string;
  from: Document;
  to: Document;
  token: string;
  at: Date;
}

export function createFencedTransitions<T extends Document & { _id: string }>(
  db: Db,
  documents: Collection<T>,
  fenceCollection: string,
): FencedTransitions<T> {
  const fences = db.collection<Fence>(fenceCollection);
  const isDuplicate = (err: unknown) => (err as { code?: unknown }).code === 11000;

  async function rollForward(fence: Fence): Promise<void> {
    const stillThere = await documents.findOne({ ...fence.from, _id: fence.target } as Filter<T>, {
      projection: { _id: 1 },
    });
    if (stillThere)
      await documents.updateOne({ _id: fence.target } as Filter<T>, { $set: fence.to as MatchKeysAndValues<T> });
  }

  return {
    async transition(id, fromKey, fromMatch, to, token = randomUUID()) {
      const fence: Fence = { _id: `${id}/${fromKey}`, target: id, from: fromMatch, to, token, at: new Date() };
      try {
        await fences.insertOne(fence);
      } catch (err) {
        if (!isDuplicate(err)) throw err;
        const winner = await fences.findOne({ _id: fence._id });
        if (winner) await rollForward(winner);
        return winner?.token === token;
      }
      await documents.updateOne({ _id: id } as Filter<T>, { $set: to });
      return true;
    },
  };
}
