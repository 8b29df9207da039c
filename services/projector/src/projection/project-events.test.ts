import { goldenEvents, type JobDocument, type JobStateChanged } from '@longhaul/contracts';
import { describe, expect, it } from 'vitest';
import type { ProjectedEvent } from './apply-event';
import type { JobStore } from './job-store';
import { createEventProjection } from './project-events';

/** An in-memory store with the same guard as the real one (version read = version stored). */
function memoryStore() {
  const docs = new Map<string, JobDocument>();
  const store: JobStore = {
    load: (ids) => Promise.resolve(new Map(ids.flatMap((id) => (docs.has(id) ? [[id, docs.get(id)!]] : [])))),
    write: (writes) => {
      const conflicts: string[] = [];
      for (const w of writes) {
        if ((docs.get(w.doc._id)?.version ?? null) !== w.readVersion) conflicts.push(w.doc._id);
        else docs.set(w.doc._id, structuredClone(w.doc));
      }
      return Promise.resolve({ conflicts });
    },
    ensureIndexes: () => Promise.resolve(),
  };
  return { store, docs };
}

const settings = { retentionMs: 86_400_000 };

/** A projection on `store` that keeps what it announces, in order. */
function announcing(store: JobStore) {
  const sent: JobStateChanged[] = [];
  const project = createEventProjection({
    store,
    settings,
    publishStates: (s) => Promise.resolve(void sent.push(...s)),
  });
  return { project, sent };
}
const events: ProjectedEvent[] = [
  goldenEvents.JobRequested,
  goldenEvents.JobStarted,
  goldenEvents.JobProgressed,
  goldenEvents.JobSucceeded,
];

describe('projecting a batch of events', () => {
  it('writes each job once and announces every accepted change in order', async () => {
    const { store, docs } = memoryStore();
    const { project, sent } = announcing(store);
    const out = await project([...events, goldenEvents.JobStarted]);
    expect(out).toMatchObject({ writes: 1, published: 4 });
    expect(out.ignored.map((i) => i.reason)).toEqual(['stale']);
    expect(sent.map((s) => [s.version, s.status, s.cause.eventType])).toEqual([
      [1, 'queued', 'JobRequested'],
      [2, 'running', 'JobStarted'],
      [3, 'running', 'JobProgressed'],
      [4, 'succeeded', 'JobSucceeded'],
    ]);
    expect(sent[3]!.result).toBe('{"rows":5}');
    expect(sent.map((s) => s.eventId)).toEqual([1, 2, 3, 4].map((v) => `${goldenEvents.JobRequested.jobId}/${v}`));
    expect(docs.get(goldenEvents.JobRequested.jobId)?.status).toBe('succeeded');
  });

  it('holds the changes of lifecycle events that come before the request, and announces them with it, in order', async () => {
    const { store, docs } = memoryStore();
    const { project, sent } = announcing(store);
    const early = await project([goldenEvents.JobStarted, goldenEvents.JobProgressed]);
    expect(early).toMatchObject({ writes: 1, published: 0 });
    expect(sent).toEqual([]);
    expect(docs.get(goldenEvents.JobStarted.jobId)?.pendingChanges.map((c) => c.cause.eventType)).toEqual([
      'JobStarted',
      'JobProgressed',
    ]);

    await project([goldenEvents.JobRequested, goldenEvents.JobSucceeded]);
    expect(sent.map((s) => [s.version, s.status, s.cause.eventType])).toEqual([
      [1, 'running', 'JobStarted'],
      [2, 'running', 'JobProgressed'],
      [3, 'running', 'JobRequested'],
      [4, 'succeeded', 'JobSucceeded'],
    ]);
    // Every change carries what only the request knows.
    const webhook = goldenEvents.JobRequested.webhook;
    expect(webhook).not.toBeNull();
    for (const s of sent) expect(s.webhook?.url).toBe(webhook!.url);
  });

  it('a crash between write and publish: the same events again re-announce the changes, once', async () => {
    const { store, docs } = memoryStore();
    const crashing = createEventProjection({ store, settings, publishStates: () => Promise.reject(new Error('down')) });
    await expect(crashing(events.slice(0, 2))).rejects.toThrow('down');
    expect(docs.get(goldenEvents.JobRequested.jobId)?.version).toBe(2);

    // A new process (it knows nothing was published) gets the batch again, then the rest.
    const { project, sent } = announcing(store);
    const again = await project(events.slice(0, 2));
    expect(again.applied).toHaveLength(0);
    expect(sent.map((s) => s.version)).toEqual([1, 2]);
    await project(events.slice(2));
    // Known to be published now: not announced again, and no longer kept in the document.
    expect(sent.map((s) => s.version)).toEqual([1, 2, 3, 4]);
    expect(docs.get(goldenEvents.JobRequested.jobId)?.pendingChanges.map((c) => c.version)).toEqual([3, 4]);
  });

  it('a document changed underneath is read again and the events re-applied to it', async () => {
    const { store, docs } = memoryStore();
    let raced = false;
    const racing: JobStore = {
      ...store,
      async write(writes) {
        if (!raced) {
          raced = true;
          // Another writer gets the request in first.
          await createEventProjection({ store, settings, publishStates: () => Promise.resolve() })([
            goldenEvents.JobRequested,
          ]);
        }
        return store.write(writes);
      },
    };
    const out = await createEventProjection({ store: racing, settings, publishStates: () => Promise.resolve() })(
      events.slice(1),
    );
    expect(out.writes).toBe(2);
    expect(docs.get(goldenEvents.JobRequested.jobId)).toMatchObject({
      status: 'succeeded',
      requested: true,
      version: 4,
    });
  });
});
