import type { JobDocument, JobStateChanged } from '@longhaul/contracts';
import { collections } from '@longhaul/mongo';
import { MongoClient, type Db } from 'mongodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followEvents, type EventLog } from '../helpers/processors';
import { eventFeed, jobScript, startProjector, type EventFeed } from '../helpers/projector';
import type { WorkerUnderTest } from '../helpers/service-process';
import { dropTestDatabase, testStack, uniqueName } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

const HOUR = 3_600_000;

/**
 * Retention with the shortest period allowed (24 h) and events dated in the past: a job that
 * finished 25 h ago is due, one that finished now is not, and a job that never finished is
 * never due however old it is.
 */
describe('retention', () => {
  const on = { prefix: `${uniqueName('it-ret')}.`, database: uniqueName('it-ret') };
  let projector: WorkerUnderTest;
  let feed: EventFeed;
  let states: EventLog;
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    projector = await startProjector(on, {
      LONGHAUL_PROJECTOR_RETENTION_HOURS: '24',
      LONGHAUL_PROJECTOR_SWEEP_INTERVAL_MS: '1000',
    });
    feed = await eventFeed(on.prefix);
    states = await followEvents(on.prefix, ['state']);
    client = new MongoClient(testStack().mongoUrl);
    db = client.db(on.database);
  });

  afterAll(async () => {
    await Promise.all([feed?.stop(), states?.stop()]);
    if (projector?.alive()) await projector.terminate();
    await client?.close();
    await dropTestDatabase(on.database);
  });

  it('removes an expired final job with every record of it, and keeps recent and unfinished ones', async () => {
    const expired = jobScript(ulid(Date.now() - 26 * HOUR), Date.now() - 25 * HOUR);
    const recent = jobScript(ulid());
    const unfinished = jobScript(ulid(Date.now() - 30 * HOUR), Date.now() - 30 * HOUR);
    const ids = [expired, recent, unfinished].map((j) => j.requested.jobId);
    const [expiredId, recentId, unfinishedId] = ids as [string, string, string];
    // The job's records in the other stores, as ingress and the processor leave them.
    for (const id of ids) {
      await db.collection(collections.acceptances).insertOne({ _id: id as never, tenant: 'acme', state: 'accepted' });
      await db.collection(collections.jobRuns).insertOne({ _id: id as never, state: 'succeeded' });
      await db.collection(collections.jobRunFences).insertOne({ _id: `${id}/1/end` as never, target: id });
      await db.collection(collections.deadLetters).insertOne({ _id: id as never, jobId: id });
    }
    const refused = ulid(Date.now() - 26 * HOUR);
    await db.collection(collections.acceptances).insertOne({
      _id: refused as never,
      tenant: 'acme',
      state: 'rejected',
      rejectedAt: new Date(Date.now() - 25 * HOUR),
    });

    await feed.send([
      ...[expired, recent].flatMap((j) => [j.requested, ...j.lifecycle]),
      unfinished.requested,
      unfinished.lifecycle[0]!,
    ]);
    const jobs = db.collection<JobDocument>('jobs');
    // It is projected (all 7 changes announced), and only then removed.
    const changes = (await states.waitFor(expiredId, '7 changes', (es) => es.length >= 7)) as JobStateChanged[];
    expect(changes.at(-1)).toMatchObject({ status: 'succeeded', version: 7 });
    await waitFor('the expired job removed', async () => (await jobs.countDocuments({ _id: expiredId })) === 0, {
      timeoutMs: 60_000,
      intervalMs: 250,
    });

    const remaining = async (coll: string, field = '_id'): Promise<string[]> => {
      const docs = await db
        .collection(coll)
        .find({ [field]: { $in: ids } })
        .toArray();
      return docs.map((d) => String(d[field])).sort();
    };
    const kept = [recentId, unfinishedId].sort();
    await waitFor('the recent job projected', async () => (await jobs.findOne({ _id: recentId }))?.version === 7, {
      timeoutMs: 30_000,
    });
    expect(await jobs.findOne({ _id: recentId })).toMatchObject({ status: 'succeeded', version: 7 });
    expect(await jobs.findOne({ _id: unfinishedId })).toMatchObject({ status: 'running', expiresAt: null });
    expect(await remaining('jobs')).toEqual(kept);
    expect(await remaining(collections.acceptances)).toEqual(kept);
    expect(await remaining(collections.jobRuns)).toEqual(kept);
    expect(await remaining(collections.jobRunFences, 'target')).toEqual(kept);
    expect(await remaining(collections.deadLetters)).toEqual(kept);
    expect(await db.collection(collections.acceptances).countDocuments({ _id: refused as never })).toBe(0);
    const metrics = await (await fetch(`${projector.opsUrl}/metrics`)).text();
    expect(metrics).toMatch(/^longhaul_projector_jobs_expired_total\{service="projector"\} 1$/m);
  }, 120_000);
});
