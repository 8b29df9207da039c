import type { JobDocument, JobStateChanged, LonghaulEvent } from '@longhaul/contracts';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngress, type IngressUnderTest } from '../helpers/ingress';
import { followEvents, type EventLog } from '../helpers/processors';
import { eventFeed, jobScript, startProjector, type EventFeed } from '../helpers/projector';
import { freePort } from '../helpers/ports';
import { serviceEnv, startService, type WorkerUnderTest } from '../helpers/service-process';
import { tenants } from '../helpers/tenants';
import { waitFor } from '../helpers/wait';

const ENV = {
  LONGHAUL_REQUESTED_PARTITIONS: '4',
  LONGHAUL_EVENTS_PARTITIONS: '4',
  LONGHAUL_READ_MODEL_POLL_MS: '300',
};
const statusRank = { queued: 0, running: 1, retrying: 2, succeeded: 3, failed: 3, cancelled: 3 } as const;

/** What a document says about its job, without when this process wrote it. */
const essence = (d: JobDocument) => {
  const { updatedAt, pendingChanges, ...rest } = d;
  void updatedAt;
  void pendingChanges;
  return rest;
};

describe('rebuilding the read model', () => {
  let api: IngressUnderTest;
  let projector: WorkerUnderTest;
  let feed: EventFeed;
  let states: EventLog;

  beforeAll(async () => {
    api = await startIngress(ENV);
    projector = await startProjector(api, ENV);
    feed = await eventFeed(api.prefix);
    states = await followEvents(api.prefix, ['state']);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([feed?.stop(), states?.stop()]);
    if (projector?.alive()) await projector.terminate();
    await api?.stop();
  });

  it('replays the topics into a fresh collection and switches to it under load: same documents, nothing missed, reads never go back', async () => {
    // Jobs finished before the rebuild, with duplicates and late events from a lost run.
    const before = Array.from({ length: 150 }, () => jobScript(ulid()));
    const events: LonghaulEvent[] = [];
    for (const j of before) events.push(j.requested, ...j.lifecycle, j.zombie, j.lifecycle[2]!);
    await feed.send(events);
    const oldColl = api.db.collection<JobDocument>('jobs');
    const beforeIds = before.map((j) => j.requested.jobId);
    await waitFor(
      'the first jobs projected',
      async () => (await oldColl.countDocuments({ status: 'succeeded', version: 7 })) === before.length,
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const snapshot = new Map((await oldColl.find({}).toArray()).map((d) => [d._id, essence(d)]));

    // Under load: new jobs keep coming, one event at a time, while clients poll them.
    const during: ReturnType<typeof jobScript>[] = [];
    const seen = new Map<string, number[]>();
    let running = true;
    const load = (async () => {
      for (let round = 0; running; round++) {
        const j = jobScript(ulid());
        during.push(j);
        const steps = [j.requested, ...j.lifecycle];
        // Each job goes part of the way now; the earlier ones a step further each round.
        await feed.send(steps.slice(0, 3));
        const older = during[Math.max(0, during.length - 4)]!;
        await feed.send([older.requested, ...older.lifecycle]);
        const polled = during.slice(-8);
        await Promise.all(
          polled.map(async (p) => {
            const id = p.requested.jobId;
            const res = await api.call<{ status: keyof typeof statusRank }>('GET', `/v1/jobs/${id}`, {
              key: tenants.acme.key,
            });
            const list = seen.get(id) ?? [];
            list.push(res.status === 200 ? statusRank[res.body.status] : -1);
            seen.set(id, list);
          }),
        );
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    await new Promise((r) => setTimeout(r, 1_000));
    const port = await freePort();
    const rebuild = startService(
      'projector',
      serviceEnv({ prefix: api.prefix, database: api.database, port, extra: { ...ENV, LONGHAUL_LOG_LEVEL: 'warn' } }),
      'rebuild.js',
    );
    const { code } = await rebuild.exited;
    if (code !== 0) {
      running = false;
      await load;
    }
    expect(code, rebuild.output()).toBe(0);
    const summary = JSON.parse(
      rebuild
        .output()
        .split('\n')
        .find((l) => l.startsWith('{"generation"'))!,
    ) as {
      generation: number;
      collection: string;
      previous: string;
      documents: number;
      previousDocuments: number;
      previousDropped: boolean;
      truncatedPartitions: string[];
    };
    // A while after the switch, then the load stops.
    await new Promise((r) => setTimeout(r, 1_500));
    running = false;
    await load;
    expect(summary).toMatchObject({ generation: 1, collection: 'jobs_g1', previous: 'jobs', previousDropped: true });
    // Exactly what the live projector had when it paused: the rebuild never ran ahead of it.
    expect(summary.documents).toBe(summary.previousDocuments);
    expect(summary.truncatedPartitions).toEqual([]);
    // Every job finishes (the live projector writes the new collection now).
    await feed.send(during.flatMap((j) => [j.requested, ...j.lifecycle]));
    const newColl = api.db.collection<JobDocument>('jobs_g1');
    const all = [...beforeIds, ...during.map((j) => j.requested.jobId)];
    await waitFor(
      'every job projected into the rebuilt collection',
      async () => (await newColl.countDocuments({ status: 'succeeded', version: 7 })) === all.length,
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect(await api.db.listCollections({ name: 'jobs' }).toArray()).toEqual([]);
    expect(await api.db.collection('read_models').findOne({ _id: 'jobs' as never })).toMatchObject({
      collection: 'jobs_g1',
      generation: 1,
      pausedUntil: null,
      rebuild: null,
    });

    // The rebuilt documents are the ones the live projector had written (versions included).
    for (const id of beforeIds) {
      const doc = await newColl.findOne({ _id: id });
      expect(essence(doc!), id).toEqual(snapshot.get(id));
    }
    // Reads follow the pointer, and a client polling through the switch never saw a job go back.
    const view = await api.call<{ status: string }>('GET', `/v1/jobs/${beforeIds[0]}`, { key: tenants.acme.key });
    expect(view.body.status).toBe('succeeded');
    const list = await api.call<{ items: unknown[] }>('GET', '/v1/jobs?limit=100', { key: tenants.acme.key });
    expect(list.body.items).toHaveLength(100);
    for (const [id, ranks] of seen) {
      const firstSeen = ranks.findIndex((r) => r >= 0);
      for (let k = Math.max(1, firstSeen + 1); k < ranks.length; k++)
        expect(ranks[k]!, `${id}: ${ranks.join(',')}`).toBeGreaterThanOrEqual(ranks[k - 1]!);
    }
    // Every change was announced on the changelog, none skipped across the switch: each job's
    // versions 1..7 are all there (the rebuild itself announces nothing).
    for (const j of during) {
      const id = j.requested.jobId;
      const log = await states.waitFor(id, 'seven changes', (es) => es.length >= 7, 30_000);
      const versions = [...new Set((log as JobStateChanged[]).map((e) => e.version))].sort((a, b) => a - b);
      expect(versions, id).toEqual([1, 2, 3, 4, 5, 6, 7]);
    }
  }, 240_000);

  it('refuses unknown arguments and changes nothing', async () => {
    const port = await freePort();
    const rebuild = startService(
      'projector',
      serviceEnv({ prefix: api.prefix, database: api.database, port, extra: ENV }),
      'rebuild.js',
      ['--everything'],
    );
    const { code } = await rebuild.exited;
    expect(code).toBe(2);
    expect(rebuild.output()).toContain('unknown argument "--everything"');
    expect(await api.db.collection('read_models').findOne({ _id: 'jobs' as never })).toMatchObject({
      collection: 'jobs_g1',
      generation: 1,
    });
  });
});
