import { collections, type Db } from '@longhaul/mongo';
import { describe, expect, it } from 'vitest';
import { createRetentionSweeper } from './sweeper';

const HOUR = 3_600_000;

/** A database that records every query and delete, in order, holding `due` expired jobs in one hour's bucket. */
function recordingDb(due: number, bucket: number) {
  const log: { collection: string; op: string; filter: unknown }[] = [];
  const markers = new Map<string, Record<string, unknown>>();
  let left = due;
  const collection = (name: string) => ({
    find: (filter: Record<string, unknown>) => ({
      limit: (n: number) => ({
        toArray: () => {
          log.push({ collection: name, op: 'find', filter });
          const hit = !('sweepHour' in filter) || filter['sweepHour'] === bucket;
          return Promise.resolve(
            hit ? Array.from({ length: Math.min(n, left) }, (_, i) => ({ _id: `job-${due - left + i}` })) : [],
          );
        },
      }),
    }),
    bulkWrite: (ops: { deleteMany: { filter: Record<string, unknown> } }[]) => {
      for (const o of ops) log.push({ collection: name, op: 'delete', filter: o.deleteMany.filter });
      const deletedCount = name === 'jobs' ? Math.min(left, ops.length) : 0;
      if (name === 'jobs') left -= deletedCount;
      return Promise.resolve({ deletedCount });
    },
    deleteMany: (filter: unknown) => {
      log.push({ collection: name, op: 'deleteMany', filter });
      return Promise.resolve({ deletedCount: 0 });
    },
    findOne: (filter: { _id: string }) => Promise.resolve(markers.get(filter._id) ?? null),
    updateOne: (filter: { _id: string }, update: { $set: Record<string, unknown> }) => {
      markers.set(filter._id, { _id: filter._id, ...update.$set });
      return Promise.resolve({ matchedCount: 1 });
    },
  });
  return { db: { collection } as unknown as Db, log, markers };
}

const settings = { jobsCollection: 'jobs', batchSize: 2, maxBatches: 10, retentionMs: 1 };

describe('the retention sweeper', () => {
  it("removes a job's other records before its document, one equality at a time, so a read never falls back to them", async () => {
    const now = new Date('2026-11-29T10:30:00Z');
    const { db, log } = recordingDb(3, Math.floor(now.getTime() / HOUR));
    const removed = await createRetentionSweeper(db, settings).sweep(now);
    expect(removed.jobs).toBe(3);
    const deletes = log.filter((l) => l.op === 'delete');
    const order = [
      collections.acceptances,
      collections.jobRuns,
      collections.jobRunFences,
      collections.deadLetters,
      collections.redrives,
      'jobs',
    ];
    // Two batches (2 + 1 jobs); in each, every store before the documents, each by equality.
    expect(deletes.map((d) => d.collection)).toEqual([...order.flatMap((c) => [c, c]), ...order]);
    expect(deletes.find((d) => d.collection === collections.jobRunFences)!.filter).toEqual({ target: 'job-0' });
    expect(deletes.find((d) => d.collection === 'jobs')!.filter).toEqual({ _id: 'job-0', expiresAt: { $lte: now } });
    expect(JSON.stringify(log)).not.toContain('$in');
    expect(log.at(-1)).toMatchObject({ op: 'deleteMany', filter: { state: 'rejected' } });
  });

  it('reads the whole collection only on its first sweep and once a day; otherwise one bucket per hour', async () => {
    const start = new Date('2026-11-29T10:30:00Z');
    const { db, log, markers } = recordingDb(0, 0);
    const sweeper = createRetentionSweeper(db, settings);
    await sweeper.sweep(start);
    const finds = () => log.filter((l) => l.op === 'find').map((l) => l.filter as Record<string, unknown>);
    expect(finds()[0]).not.toHaveProperty('sweepHour');
    const hour = Math.floor(start.getTime() / HOUR);
    expect(markers.get('sweep:jobs')).toMatchObject({ nextHour: hour });
    log.length = 0;
    // Two hours later: the buckets from the marker's hour on, and the settled ones are done with.
    const later = new Date(start.getTime() + 2 * HOUR);
    await sweeper.sweep(later);
    expect(finds().map((f) => f['sweepHour'])).toEqual([hour, hour + 1, hour + 2]);
    expect(markers.get('sweep:jobs')).toMatchObject({ nextHour: hour + 2 });
    log.length = 0;
    await sweeper.sweep(new Date(start.getTime() + 25 * HOUR));
    expect(finds()[0]).not.toHaveProperty('sweepHour');
  });

  it('stops after maxBatches, leaving the rest (and the marker) to the next sweep', async () => {
    const now = new Date('2026-11-29T10:30:00Z');
    const { db, log, markers } = recordingDb(100, 0);
    const sweeper = createRetentionSweeper(db, { ...settings, maxBatches: 3 });
    expect((await sweeper.sweep(now)).jobs).toBe(6);
    expect(log.filter((d) => d.op === 'find')).toHaveLength(3);
    expect(markers.size).toBe(0);
  });
});
