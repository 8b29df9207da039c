import { dirname, join } from 'node:path';
import type { JobDocument, JobStateChanged, LonghaulEvent } from '@longhaul/contracts';
import { startMongoComponent, type Component } from '@longhaul/local-stack';
import { MongoClient, type Db } from 'mongodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngress, type IngressUnderTest } from '../helpers/ingress';
import { followEvents, startProcessor, submitJob, type EventLog } from '../helpers/processors';
import { eventFeed, jobScript, startProjector, type EventFeed } from '../helpers/projector';
import type { WorkerUnderTest } from '../helpers/service-process';
import { dropTestDatabase, testStack, uniqueName } from '../helpers/stack';
import { tenants } from '../helpers/tenants';
import { waitFor } from '../helpers/wait';

const PARTITIONS = { LONGHAUL_REQUESTED_PARTITIONS: '4', LONGHAUL_EVENTS_PARTITIONS: '4' };

const statusRank = { queued: 0, running: 1, retrying: 2, succeeded: 3, failed: 3, cancelled: 3 } as const;

describe('the projector', () => {
  let api: IngressUnderTest;
  let projector: WorkerUnderTest;
  let feed: EventFeed;
  let states: EventLog;
  const workers: WorkerUnderTest[] = [];

  beforeAll(async () => {
    api = await startIngress(PARTITIONS);
    projector = await startProjector(api, PARTITIONS);
    feed = await eventFeed(api.prefix);
    states = await followEvents(api.prefix, ['state']);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([feed?.stop(), states?.stop()]);
    await Promise.all([projector, ...workers].filter((p) => p?.alive()).map((p) => p.terminate()));
    await api?.stop();
  });

  it('duplicated, reordered and stale events end as the latest valid state; polling never goes back', async () => {
    const jobs = Array.from({ length: 40 }, () => jobScript(ulid()));
    const ids = jobs.map((j) => j.requested.jobId);
    // Half the jobs' requests come after their lifecycle (another topic: any order is possible);
    // every event is sent twice, and each job gets a late event from its first run.
    const first: LonghaulEvent[] = [];
    const later: LonghaulEvent[] = [];
    jobs.forEach((j, i) => {
      if (i % 2 === 0) first.push(j.requested);
      else later.push(j.requested, j.requested);
      for (const e of j.lifecycle.slice(0, 3)) first.push(e, e);
      first.push(j.zombie);
      for (const e of j.lifecycle.slice(3)) later.push(e, j.zombie, e);
    });

    const seen = new Map<string, { rank: number; attempt: number; percent: number }[]>();
    let polling = true;
    const poller = (async () => {
      while (polling) {
        await Promise.all(
          ids.map(async (id) => {
            const res = await api.call<{
              status: keyof typeof statusRank;
              attempt: number;
              progress: { percent: number } | null;
            }>('GET', `/v1/jobs/${id}`, { key: tenants.acme.key });
            if (res.status !== 200) return;
            const list = seen.get(id) ?? [];
            list.push({
              rank: statusRank[res.body.status],
              attempt: res.body.attempt,
              percent: res.body.progress?.percent ?? 0,
            });
            seen.set(id, list);
          }),
        );
      }
    })();
    await feed.send(first);
    await new Promise((r) => setTimeout(r, 300));
    await feed.send(later);

    const jobsColl = api.db.collection<JobDocument>('jobs');
    await waitFor(
      'every job projected as succeeded',
      async () =>
        (await jobsColl.countDocuments({ _id: { $in: ids }, status: 'succeeded', requested: true })) === ids.length,
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    polling = false;
    await poller;

    for (const j of jobs) {
      const id = j.requested.jobId;
      const doc = (await jobsColl.findOne({ _id: id }))!;
      expect(doc).toMatchObject({
        status: 'succeeded',
        result: `{"job":"${id}"}`,
        attempt: 1,
        maxAttempts: 3,
        epoch: 2,
        sequence: 4,
        progress: { percent: 80, stage: 'at 80' },
        error: null,
        webhook: { url: 'https://hooks.example.com/x', events: [], hasSecret: false },
        // request + 6 lifecycle events, each accepted once; duplicates and the late event never
        version: 7,
      });
      const view = await api.call<{ status: string; result: unknown }>('GET', `/v1/jobs/${id}`, {
        key: tenants.acme.key,
      });
      expect(view.body).toMatchObject({ status: 'succeeded', result: { job: id } });
      // What a client saw while it polled only ever moved forward.
      const polls = seen.get(id) ?? [];
      for (let k = 1; k < polls.length; k++) {
        const [a, b] = [polls[k - 1]!, polls[k]!];
        expect(b.attempt, id).toBeGreaterThanOrEqual(a.attempt);
        if (b.attempt === a.attempt) expect(b.rank, id).toBeGreaterThanOrEqual(a.rank);
        if (b.attempt === a.attempt && b.rank === 1 && a.rank === 1)
          expect(b.percent, id).toBeGreaterThanOrEqual(a.percent);
      }
    }

    // The changelog: each job's accepted changes once each (by id), versions 1..7 in order, and
    // never the late event from the lost run.
    const zombieIds = new Set(jobs.map((j) => j.zombie.eventId));
    for (const id of ids) {
      const changes = (await states.waitFor(id, '7 state changes', (es) => es.length >= 7)) as JobStateChanged[];
      expect(changes.map((c) => c.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(changes.some((c) => zombieIds.has(c.cause.eventId))).toBe(false);
      // Announced only with what the request carries, even for the jobs whose request came last
      // (the notifier finds the job's own webhook in each change).
      for (const c of changes) {
        expect(c.webhook, `${id} v${c.version}`).toEqual({
          url: 'https://hooks.example.com/x',
          events: [],
          hasSecret: false,
        });
        expect(c.maxAttempts).toBe(3);
      }
      expect(changes.at(-1)).toMatchObject({ status: 'succeeded', result: `{"job":"${id}"}` });
    }
  }, 90_000);

  it('projects real jobs: GET shows the result, each failed attempt with its error, and the checkpoint', async () => {
    workers.push(await startProcessor(api, PARTITIONS));
    const flaky = await submitJob(api, 'flaky', { failTimes: 2 }, { maxAttempts: 3 });
    const report = await submitJob(api, 'report.generate', { steps: 3, stepMs: 50 });
    type View = {
      status: string;
      attempt: number;
      attempts: { attempt: number; error: { title: string } }[];
      checkpoint: { summary: string | null } | null;
      result: unknown;
    };
    const done = async (id: string) =>
      waitFor(
        `job ${id} succeeded in the read model`,
        async () => {
          const res = await api.call<View>('GET', `/v1/jobs/${id}`, { key: tenants.acme.key });
          return res.body.status === 'succeeded' ? res.body : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 200 },
      );
    const flakyView = await done(flaky);
    expect(flakyView.attempt).toBe(3);
    expect(flakyView.attempts.map((a) => a.attempt)).toEqual([1, 2]);
    const reportView = await done(report);
    expect(reportView.checkpoint?.summary).toBeTruthy();
    expect(reportView.result).toBeTruthy();
    expect(api.violations).toEqual([]);
    // The next tests feed hand-made requests: no processor may run them.
    await workers.pop()!.terminate();
  }, 90_000);

  it('kill -9 during a burst of 10,000 events: after a restart every job is complete and correct', async () => {
    const jobs = Array.from({ length: 1_250 }, () => jobScript(ulid()));
    const ids = jobs.map((j) => j.requested.jobId);
    // 8 events a job: request, 6 lifecycle events, one late event.
    await feed.send(jobs.flatMap((j) => [j.requested, ...j.lifecycle, j.zombie]));
    const jobsColl = api.db.collection<JobDocument>('jobs');
    const count = () => jobsColl.countDocuments({ _id: { $in: ids } });
    await waitFor('part of the burst applied', async () => (await count()) > 50, { timeoutMs: 30_000, intervalMs: 20 });
    await projector.kill();
    const partial = await jobsColl.countDocuments({ _id: { $in: ids }, status: 'succeeded' });
    expect(partial).toBeLessThan(ids.length);

    const restartedAt = Date.now();
    projector = await startProjector(api, PARTITIONS);
    const readyAfterMs = Date.now() - restartedAt;
    await waitFor(
      'every job of the burst projected',
      async () =>
        (await jobsColl.countDocuments({ _id: { $in: ids }, status: 'succeeded', version: 7 })) === ids.length,
      { timeoutMs: 90_000, intervalMs: 500 },
    ).catch(async (err: unknown) => {
      const metrics = await (await fetch(`${projector.opsUrl}/metrics`)).text();
      console.error(
        `restarted projector ready after ${readyAfterMs} ms\n`,
        metrics
          .split('\n')
          .filter((l) => l.startsWith('longhaul_projector'))
          .join('\n'),
        projector.output().slice(-4_000),
      );
      throw err;
    });
    console.info(`restarted projector ready after ${readyAfterMs} ms, caught up after ${Date.now() - restartedAt} ms`);
    expect(await count()).toBe(ids.length);
    const wrong = await jobsColl
      .find({
        _id: { $in: ids },
        $or: [{ epoch: { $ne: 2 } }, { sequence: { $ne: 4 } }, { 'progress.percent': { $ne: 80 } }],
      })
      .toArray();
    expect(wrong).toEqual([]);
    // Every change reached the changelog (re-publications after the kill share their ids).
    for (const id of ids.slice(0, 100)) {
      const changes = (await states.waitFor(id, '7 state changes', (es) => es.length >= 7)) as JobStateChanged[];
      expect(changes.map((c) => c.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    }
  }, 240_000);
});

describe('the projector during a database outage', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('stops, reports not ready, and catches up with nothing missing when MongoDB returns', async () => {
    const mongo: Component = await startMongoComponent(
      join(testStack().dataDir, uniqueName('outage-mongo')),
      testStack().cacheDir,
      dirname(testStack().dataDir),
    );
    cleanup.push(() => mongo.stop());
    const on = { prefix: `${uniqueName('it-proj')}.`, database: uniqueName('it-proj') };
    const projector = await startProjector(on, { ...PARTITIONS, LONGHAUL_MONGO_URL: mongo.endpoint });
    cleanup.push(async () => {
      if (projector.alive()) await projector.terminate();
    });
    const feed = await eventFeed(on.prefix);
    cleanup.push(() => feed.stop());
    const client = new MongoClient(mongo.endpoint, { serverSelectionTimeoutMS: 5_000 });
    cleanup.push(() => client.close());
    const db: Db = client.db(on.database);
    cleanup.push(() => dropTestDatabase(on.database, mongo.endpoint));
    const jobs = Array.from({ length: 200 }, () => jobScript(ulid()));
    const ids = jobs.map((j) => j.requested.jobId);
    const all = jobs.flatMap((j) => [j.requested, ...j.lifecycle]);
    const projected = () => db.collection('jobs').countDocuments({ _id: { $in: ids as never[] }, status: 'succeeded' });

    await feed.send(all.slice(0, 700));
    await waitFor('the first events applied', async () => (await projected()) > 0, { timeoutMs: 30_000 });
    await mongo.stop();
    await feed.send(all.slice(700));
    await waitFor(
      'not ready while MongoDB is down',
      async () => (await fetch(`${projector.opsUrl}/readyz`)).status === 503,
      {
        timeoutMs: 30_000,
        intervalMs: 200,
      },
    );
    expect(projector.alive()).toBe(true);

    await mongo.start();
    await waitFor('every job projected after the outage', async () => (await projected()) === ids.length, {
      timeoutMs: 90_000,
      intervalMs: 500,
    });
    await waitFor('ready again', async () => (await fetch(`${projector.opsUrl}/readyz`)).status === 200, {
      timeoutMs: 30_000,
    });
    expect(await db.collection('jobs').countDocuments({ _id: { $in: ids as never[] }, version: 7 })).toBe(
      ids.length - 0,
    );
  }, 240_000);
});
