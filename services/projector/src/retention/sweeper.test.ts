import { collections, type Db } from '@longhaul/mongo';
import { describe, expect, it } from 'vitest';
import { createRetentionSweeper } from './sweeper';

/** A database that records every delete, in order, and has `due` expired jobs. */
function recordingDb(due: number) {
  const deletes: { collection: string; filter: unknown }[] = [];
  let left = due;
  const collection = (name: string) => ({
    find: () => ({
      limit: (n: number) => ({
        toArray: () => Promise.resolve(Array.from({ length: Math.min(n, left) }, (_, i) => ({ _id: `job-${i}` }))),
      }),
    }),
    deleteMany: (filter: unknown) => {
      deletes.push({ collection: name, filter });
      let deletedCount = 0;
      if (name === 'jobs') {
        deletedCount = Math.min(left, 2);
        left -= deletedCount;
      }
      return Promise.resolve({ deletedCount });
    },
  });
  return { db: { collection } as unknown as Db, deletes };
}

describe('the retention sweeper', () => {
  it("removes a job's other records before its document, so a read never falls back to them", async () => {
    const { db, deletes } = recordingDb(3);
    const sweeper = createRetentionSweeper(db, {
      jobsCollection: 'jobs',
      batchSize: 2,
      maxBatches: 10,
      retentionMs: 1,
    });
    const removed = await sweeper.sweep(new Date());
    expect(removed.jobs).toBe(3);
    const perBatch = [
      collections.acceptances,
      collections.jobRuns,
      collections.jobRunFences,
      collections.deadLetters,
      collections.redrives,
      'jobs',
    ];
    // Two batches (2 + 1 jobs), each ending with the documents; then refused acceptances.
    expect(deletes.map((d) => d.collection)).toEqual([...perBatch, ...perBatch, collections.acceptances]);
    expect(deletes[2]!.filter).toEqual({ target: { $in: ['job-0', 'job-1'] } });
    expect(deletes.at(-1)!.filter).toMatchObject({ state: 'rejected' });
  });

  it('stops after maxBatches, leaving the rest to the next sweep', async () => {
    const { db, deletes } = recordingDb(100);
    const sweeper = createRetentionSweeper(db, { jobsCollection: 'jobs', batchSize: 2, maxBatches: 3, retentionMs: 1 });
    expect((await sweeper.sweep(new Date())).jobs).toBe(6);
    expect(deletes.filter((d) => d.collection === 'jobs')).toHaveLength(3);
  });
});
