import { randomUUID } from 'node:crypto';
import { BSON, type Collection, type Db, type Document, type Filter, type MatchKeysAndValues } from 'mongodb';
import { createBatchedInserts } from './batched-inserts';

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
   *
   * `lazy`: the winner does not update the document; readers see the new state through
   * `read` (one write fewer — an update costs FerretDB about twice an unbatched insert and
   * twenty times a batched one). For transitions into states nobody matches the document
   * against (a run's end), so that only readers need to know.
   */
  transition(
    id: string,
    fromKey: string,
    fromMatch: Filter<T>,
    to: MatchKeysAndValues<T>,
    token?: string,
    opts?: { lazy?: boolean },
  ): Promise<boolean>;
  /**
   * The document as its fences say it is now: read it, then while a fence leaves the state it
   * is in (`keyOf` names that state's key, or null for a state nothing leaves), apply it.
   */
  read(id: string, keyOf: (doc: T) => string | null): Promise<T | null>;
}

/** Fences a read follows at most: a job's state changes a few times between two reads, not hundreds. */
const MAX_CHAIN = 64;

/**
 * `to` is stored as Extended JSON text (`toText`): FerretDB converts every nested field of a
 * document on each write, and a run's end carries the events it owes, so the fence as one text
 * field costs the database much less (docs/architecture.md). Fences written before keep `to`.
 */
interface Fence {
  _id: string;
  target: string;
  from: Document;
  to?: Document;
  toText?: string;
  token: string;
  at: Date;
}

const storedTo = (to: Document): string => BSON.EJSON.stringify(to, { relaxed: true });
const fenceTo = (fence: Fence): Document =>
  fence.toText !== undefined ? (BSON.EJSON.parse(fence.toText, { relaxed: true }) as Document) : (fence.to ?? {});

export function createFencedTransitions<T extends Document & { _id: string }>(
  db: Db,
  documents: Collection<T>,
  fenceCollection: string,
): FencedTransitions<T> {
  const fences = db.collection<Fence>(fenceCollection);
  const inserts = createBatchedInserts(fences, { same: (existing, fence) => existing.token === fence.token });

  async function rollForward(fence: Fence): Promise<void> {
    const stillThere = await documents.findOne({ ...fence.from, _id: fence.target } as Filter<T>, {
      projection: { _id: 1 },
    });
    if (stillThere)
      await documents.updateOne({ _id: fence.target } as Filter<T>, { $set: fenceTo(fence) as MatchKeysAndValues<T> });
  }

  return {
    async transition(id, fromKey, fromMatch, to, token = randomUUID(), opts = {}) {
      const fence: Fence = {
        _id: `${id}/${fromKey}`,
        target: id,
        from: fromMatch,
        toText: storedTo(to),
        token,
        at: new Date(),
      };
      if (!(await inserts.insert(fence))) {
        const winner = await fences.findOne({ _id: fence._id });
        if (winner) await rollForward(winner);
        return winner?.token === token;
      }
      if (!opts.lazy) await documents.updateOne({ _id: id } as Filter<T>, { $set: to });
      return true;
    },
    async read(id, keyOf) {
      let doc = (await documents.findOne({ _id: id } as Filter<T>)) as T | null;
      for (let i = 0; doc !== null && i < MAX_CHAIN; i++) {
        const key = keyOf(doc);
        if (key === null) break;
        const fence = await fences.findOne({ _id: `${id}/${key}` });
        if (!fence) break;
        doc = { ...doc, ...(fenceTo(fence) as Partial<T>) };
      }
      return doc;
    },
  };
}
