import { createMetrics } from '@longhaul/telemetry';
import { afterEach, describe, expect, it } from 'vitest';
import { createNotifierMetrics } from '../metrics';
import type { AttemptNext } from './attempt';
import type { DeliveryDocument } from '@longhaul/webhooks';
import type { DeliveryStore, DeliveryUpdate, PendingDelivery } from './delivery-store';
import { createDispatcher, type Dispatcher } from './dispatcher';

const silent = { warn: () => undefined, info: () => undefined } as never;

let seq = 0;
function delivery(endpoint: string, fields: Partial<PendingDelivery> = {}): PendingDelivery {
  seq++;
  return {
    _id: `msg_${seq}`,
    tenant: 'acme',
    subscriptionId: 'wh_1',
    ownSecret: false,
    jobId: `job_${seq}`,
    eventType: 'job.succeeded',
    url: `${endpoint}/hook`,
    endpoint,
    body: '{}',
    partition: 0,
    attempts: 0,
    nextAttemptAt: new Date(),
    eventAt: new Date(),
    replays: 0,
    ...fields,
  };
}

/** An in-memory store: the dispatcher's unit tests need only what it reads and writes. */
function fakeStore(waiting: PendingDelivery[] = [], sent: (d: PendingDelivery) => boolean = () => false) {
  const updates: DeliveryUpdate[] = [];
  const records: DeliveryDocument[] = [];
  const reads: string[] = [];
  const store: DeliveryStore = {
    ensureIndexes: () => Promise.resolve(),
    insertNew: () => Promise.resolve(new Set()),
    record: (doc) => {
      records.push(doc);
      return Promise.resolve('inserted');
    },
    update: (u) => {
      updates.push(u);
      return Promise.resolve();
    },
    pending: (p) => {
      reads.push(`pending ${p}`);
      return Promise.resolve(waiting.filter((d) => d.partition === p));
    },
    dueIn: () => Promise.resolve([]),
    pendingFor: (p, endpoint, limit, except, dueBefore) => {
      reads.push(`endpoint ${endpoint}`);
      return Promise.resolve(
        waiting
          .filter(
            (d) =>
              d.partition === p &&
              d.endpoint === endpoint &&
              !sent(d) &&
              !except.includes(d._id) &&
              (d.nextAttemptAt?.getTime() ?? 0) < dueBefore.getTime(),
          )
          .slice(0, limit),
      );
    },
    claimRequeued: () => Promise.resolve([]),
    drain: () => Promise.resolve(),
  };
  return { store, updates, records, reads };
}

const unfinished = new Set<Map<string, (next: AttemptNext) => void>>();

/** An attempt function whose attempts finish only when the test says so. */
function controlledAttempts() {
  const started: PendingDelivery[] = [];
  const finishers = new Map<string, (next: AttemptNext) => void>();
  unfinished.add(finishers);
  return {
    started,
    attempt: (d: PendingDelivery) =>
      new Promise<AttemptNext>((resolve) => {
        started.push(d);
        finishers.set(d._id, resolve);
      }),
    finish(id: string, next: AttemptNext = { again: false }) {
      finishers.get(id)?.(next);
    },
  };
}

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('dispatcher', () => {
  let dispatcher: Dispatcher | undefined;
  afterEach(async () => {
    for (const finishers of unfinished) for (const finish of finishers.values()) finish({ again: false });
    unfinished.clear();
    await dispatcher?.stop().catch(() => undefined);
    dispatcher = undefined;
  });

  function make(
    opts: { attempt: (d: PendingDelivery) => Promise<AttemptNext>; store?: DeliveryStore } & Partial<{
      endpointConcurrency: number;
      maxInFlight: number;
      endpointQueue: number;
      maxHeld: number;
    }>,
  ) {
    dispatcher = createDispatcher({
      store: opts.store ?? fakeStore().store,
      attempt: opts.attempt,
      metrics: createNotifierMetrics(createMetrics({ service: 'test' })),
      logger: silent,
      endpointConcurrency: opts.endpointConcurrency ?? 2,
      maxInFlight: opts.maxInFlight ?? 100,
      endpointQueue: opts.endpointQueue ?? 1_000,
      maxHeld: opts.maxHeld ?? 100_000,
      pollMs: 60_000,
      retentionMs: 3_600_000,
    });
    dispatcher.assign([0]);
    return dispatcher;
  }

  it('lets a hanging endpoint hold only its own slots', async () => {
    const attempts = controlledAttempts();
    const d = make({ attempt: attempts.attempt, endpointConcurrency: 2 });
    const slow = Array.from({ length: 5 }, () => delivery('http://slow'));
    const fast = Array.from({ length: 3 }, () => delivery('http://fast'));
    d.add(slow);
    d.add(fast);
    await tick();
    expect(attempts.started.filter((x) => x.endpoint === 'http://slow')).toHaveLength(2);
    expect(attempts.started.filter((x) => x.endpoint === 'http://fast')).toHaveLength(2);
    attempts.finish(fast[0]!._id);
    await tick();
    // The third fast delivery went as soon as a fast slot freed; the slow ones still wait.
    expect(attempts.started.filter((x) => x.endpoint === 'http://fast')).toHaveLength(3);
    expect(attempts.started.filter((x) => x.endpoint === 'http://slow')).toHaveLength(2);
    expect(d.stats()).toMatchObject({ inFlight: 4, ready: 3 });
  });

  it('bounds attempts in flight over all endpoints', async () => {
    const attempts = controlledAttempts();
    const d = make({ attempt: attempts.attempt, endpointConcurrency: 5, maxInFlight: 3 });
    d.add(['http://a', 'http://b', 'http://c', 'http://d'].map((e) => delivery(e)));
    await tick();
    expect(attempts.started).toHaveLength(3);
    attempts.finish(attempts.started[0]!._id);
    await tick();
    expect(attempts.started).toHaveLength(4);
  });

  it("collapses a backed-up endpoint's queued progress of one job to the newest, never other events", async () => {
    const attempts = controlledAttempts();
    const { store, updates } = fakeStore();
    const d = make({ attempt: attempts.attempt, store, endpointConcurrency: 1 });
    const blocker = delivery('http://e');
    const job = { jobId: 'job_x', subscriptionId: 'wh_1' };
    const p1 = delivery('http://e', { ...job, eventType: 'job.progress' });
    const p2 = delivery('http://e', { ...job, eventType: 'job.progress' });
    const other = delivery('http://e', { jobId: 'job_y', eventType: 'job.progress' });
    const done = delivery('http://e', { ...job, eventType: 'job.succeeded' });
    const p3 = delivery('http://e', { ...job, eventType: 'job.progress' });
    d.add([blocker, p1, other, p2, done, p3]);
    await tick();
    for (let i = 0; i < 6; i++) {
      attempts.finish(attempts.started[attempts.started.length - 1]!._id);
      await tick();
    }
    // p1 gave way to p2 (in p1's place), then p2 to p3; the succeeded event kept its place.
    expect(attempts.started.map((x) => x._id)).toEqual([blocker._id, p3._id, other._id, done._id]);
    expect(updates.filter((u) => u.set.state === 'collapsed').map((u) => u.id)).toEqual([p1._id, p2._id]);
  });

  it('sends only for partitions it owns, and forgets the ones it loses', async () => {
    const attempts = controlledAttempts();
    const d = make({ attempt: attempts.attempt, endpointConcurrency: 1 });
    d.add([delivery('http://e', { partition: 1 })]);
    const first = delivery('http://e');
    const queued = delivery('http://e');
    d.add([first, queued]);
    await tick();
    expect(attempts.started.map((x) => x._id)).toEqual([first._id]);
    d.pause();
    d.assign([1]);
    attempts.finish(first._id);
    await tick();
    // The queued one of partition 0 was dropped; partition 1 was read afresh (nothing pending).
    expect(attempts.started.map((x) => x._id)).toEqual([first._id]);
  });

  it('reads what is pending when it gains a partition', async () => {
    const attempts = controlledAttempts();
    const waiting = [delivery('http://e', { partition: 3 }), delivery('http://e', { partition: 4 })];
    const { store, reads } = fakeStore(waiting);
    const d = make({ attempt: attempts.attempt, store });
    d.assign([0, 3]);
    await tick();
    expect(reads).toContain('pending 3');
    expect(attempts.started.map((x) => x._id)).toEqual([waiting[0]!._id]);
  });

  it('sends a retry again when it falls due', async () => {
    const attempts = controlledAttempts();
    const d = make({ attempt: attempts.attempt });
    const x = delivery('http://e');
    d.add([x]);
    await tick();
    attempts.finish(x._id, { again: true, dueAt: Date.now() + 30 });
    await tick(10);
    expect(attempts.started).toHaveLength(1);
    await tick(40);
    expect(attempts.started).toHaveLength(2);
  });

  it('leaves an endpoint backlog past its queue limit in the store, and reads it back as it drains', async () => {
    const attempts = controlledAttempts();
    const all = Array.from({ length: 6 }, () => delivery('http://e'));
    const { store, reads } = fakeStore(all, (d) => attempts.started.includes(d));
    const d = make({ attempt: attempts.attempt, store, endpointConcurrency: 1, endpointQueue: 4 });
    d.add(all);
    await tick();
    expect(d.stats().ready + d.stats().inFlight).toBe(4);
    for (let i = 0; i < 6; i++) {
      attempts.finish(attempts.started[attempts.started.length - 1]!._id);
      await tick();
    }
    expect(reads).toContain('endpoint http://e');
    expect(new Set(attempts.started.map((x) => x._id)).size).toBe(6);
  });

  it('stores new deliveries past the memory bound instead of holding them, and reads them back later', async () => {
    const attempts = controlledAttempts();
    const { store, records } = fakeStore();
    const d = make({ attempt: attempts.attempt, store, endpointConcurrency: 1, maxHeld: 2 });
    const fresh = (endpoint: string) => {
      const doc = { ...delivery(endpoint), body: '{}' } as unknown as DeliveryDocument;
      let stored = false;
      return { doc, onRecorded: () => (stored = true), stored: () => stored };
    };
    const a = fresh('http://a');
    const b = fresh('http://b');
    const c = fresh('http://c');
    d.addNew([a, b, c]);
    await tick();
    // Two held (and being sent); the third went straight to the store, its message committable.
    expect(attempts.started.map((x) => x._id)).toEqual([a.doc._id, b.doc._id]);
    expect(records.map((r) => r._id)).toEqual([c.doc._id]);
    expect(c.stored()).toBe(true);
    expect(d.stats().inFlight).toBe(2);
  });

  it('does not read an endpoint back over and over when what waits is not due yet', async () => {
    const attempts = controlledAttempts();
    const later = Array.from({ length: 3 }, () =>
      delivery('http://e', { nextAttemptAt: new Date(Date.now() + 3_600_000) }),
    );
    const { store, reads } = fakeStore(later);
    const d = make({ attempt: attempts.attempt, store, endpointConcurrency: 1, endpointQueue: 2 });
    const now = [delivery('http://e'), delivery('http://e'), delivery('http://e')];
    d.add(now);
    await tick();
    for (let i = 0; i < 3; i++) {
      attempts.finish(attempts.started[attempts.started.length - 1]!._id);
      await tick();
    }
    await tick(20);
    expect(reads.filter((r) => r === 'endpoint http://e').length).toBeLessThanOrEqual(2);
    expect(attempts.started).toHaveLength(2);
  });
});
