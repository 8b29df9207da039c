import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectMongo,
  createBatchedInserts,
  createFencedTransitions,
  type Collection,
  type MongoConnection,
} from '@longhaul/mongo';
import { testStack, uniqueName } from '../helpers/stack';

interface Run {
  _id: string;
  state: string;
  epoch: number;
  owner: string | null;
}

// Fenced transitions against the real database: races that must have exactly one winner
// (the processor's leases, takeovers, retries and cancels are built on them).
describe('fenced transitions', () => {
  const database = uniqueName('it-fences');
  let conn: MongoConnection;
  let runs: Collection<Run>;

  beforeAll(async () => {
    conn = await connectMongo({ url: testStack().mongoUrl, database, appName: 'fences-test' });
    runs = conn.db.collection<Run>('runs');
  });
  afterAll(async () => {
    await conn.db.dropDatabase().catch(() => undefined);
    await conn.close();
  });

  it('why they exist: a plain conditional update is not atomic on this database', async () => {
    // A fact check: if the server ever makes conditional updates atomic this fails, and the
    // fences could go. Until then, racing updates "match" more than once.
    let extraWinners = 0;
    for (let trial = 0; trial < 5; trial++) {
      const id = `cas-${trial}`;
      await runs.insertOne({ _id: id, state: 'running', epoch: 1, owner: 'a' });
      const res = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          runs.updateOne({ _id: id, epoch: 1 }, { $set: { epoch: 2, owner: `p${i}` } }),
        ),
      );
      extraWinners += res.reduce((n, r) => n + r.matchedCount, 0) - 1;
    }
    expect(extraWinners).toBeGreaterThan(0);
  });

  it('ten processes leaving one state: exactly one wins, and the document shows the winner', async () => {
    const fences = createFencedTransitions(conn.db, runs, 'run_fences');
    for (let trial = 0; trial < 5; trial++) {
      const id = `race-${trial}`;
      await runs.insertOne({ _id: id, state: 'running', epoch: 1, owner: 'dead' });
      const wins = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          fences.transition(id, '1/end', { state: 'running', epoch: 1 }, { epoch: 2, owner: `p${i}` }),
        ),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await runs.findOne({ _id: id })).toMatchObject({ epoch: 2, owner: `p${wins.indexOf(true)}` });
    }
  });

  it('the winner may repeat its transition (after an error) with its token; anyone else still loses', async () => {
    const fences = createFencedTransitions(conn.db, runs, 'run_fences');
    await runs.insertOne({ _id: 'repeat', state: 'running', epoch: 1, owner: 'a' });
    const from = { state: 'running', epoch: 1 };
    expect(await fences.transition('repeat', '1/end', from, { state: 'succeeded' }, 'mine')).toBe(true);
    expect(await fences.transition('repeat', '1/end', from, { state: 'succeeded' }, 'mine')).toBe(true);
    expect(await fences.transition('repeat', '1/end', from, { state: 'failed' }, 'theirs')).toBe(false);
    expect((await runs.findOne({ _id: 'repeat' }))!.state).toBe('succeeded');
  });

  it('a winner that died before updating the document is rolled forward by the next contender', async () => {
    const fences = createFencedTransitions(conn.db, runs, 'run_fences');
    await runs.insertOne({ _id: 'orphan', state: 'running', epoch: 1, owner: 'a' });
    // What a winner leaves when it dies right after inserting its fence.
    await conn.db.collection<{ _id: string; [field: string]: unknown }>('run_fences').insertOne({
      _id: 'orphan/1/end',
      target: 'orphan',
      from: { state: 'running', epoch: 1 },
      to: { state: 'succeeded', owner: null },
      token: 'dead',
      at: new Date(),
    });
    expect(await fences.transition('orphan', '1/end', { state: 'running', epoch: 1 }, { epoch: 2, owner: 'b' })).toBe(
      false,
    );
    expect(await runs.findOne({ _id: 'orphan' })).toMatchObject({ state: 'succeeded', epoch: 1, owner: null });
  });
  it('a lazy transition leaves the document as it was, and a read through the fences shows the new state', async () => {
    const fences = createFencedTransitions(conn.db, runs, 'run_fences');
    const keyOf = (r: Run) =>
      r.state === 'running' ? `${r.epoch}/end` : r.state === 'retrying' ? `${r.epoch}/resume` : null;
    await runs.insertOne({ _id: 'lazy', state: 'running', epoch: 1, owner: 'a' });
    const end = { state: 'retrying', owner: null };
    expect(await fences.transition('lazy', '1/end', { state: 'running', epoch: 1 }, end, 'a-end', { lazy: true })).toBe(
      true,
    );
    expect(await runs.findOne({ _id: 'lazy' })).toMatchObject({ state: 'running', owner: 'a' });
    expect(await fences.read('lazy', keyOf)).toMatchObject({ state: 'retrying', epoch: 1, owner: null });
    // Someone else racing out of the state it still shows loses, and rolls the document forward.
    expect(await fences.transition('lazy', '1/end', { state: 'running', epoch: 1 }, { epoch: 2, owner: 'b' })).toBe(
      false,
    );
    expect(await runs.findOne({ _id: 'lazy' })).toMatchObject({ state: 'retrying', owner: null });
    // The next step of the chain (written eagerly), then another lazy end: read follows both.
    const resume = { state: 'running', epoch: 2, owner: 'c' };
    expect(await fences.transition('lazy', '1/resume', { state: 'retrying', epoch: 1 }, resume)).toBe(true);
    expect(
      await fences.transition('lazy', '2/end', { state: 'running', epoch: 2 }, { state: 'succeeded' }, 'c-end', {
        lazy: true,
      }),
    ).toBe(true);
    expect(await runs.findOne({ _id: 'lazy' })).toMatchObject({ state: 'running', epoch: 2, owner: 'c' });
    expect(await fences.read('lazy', keyOf)).toMatchObject({ state: 'succeeded', epoch: 2, owner: 'c' });
    expect(await fences.read('absent', keyOf)).toBeNull();
  });

  it('a fence keeps the new fields as one text field; dates, nulls and nested lists come back as they were', async () => {
    const fences = createFencedTransitions(conn.db, runs, 'run_fences');
    const keyOf = (r: Run) => (r.state === 'running' ? `${r.epoch}/end` : null);
    await runs.insertOne({ _id: 'text', state: 'running', epoch: 1, owner: 'a' });
    const at = new Date('2026-11-29T12:00:00.123Z');
    const to = {
      state: 'succeeded',
      owner: null,
      endedAt: at,
      owed: [{ event: { attempt: 2, time: 1.5, tags: ['x'] } }],
    };
    expect(await fences.transition('text', '1/end', { state: 'running', epoch: 1 }, to, 't', { lazy: true })).toBe(
      true,
    );
    const raw = await conn.db
      .collection<{ _id: string; [field: string]: unknown }>('run_fences')
      .findOne({ _id: 'text/1/end' });
    expect(typeof raw?.['toText']).toBe('string');
    expect(raw).not.toHaveProperty('to');
    const read = (await fences.read('text', keyOf)) as unknown as Record<string, unknown>;
    expect(read).toMatchObject({ _id: 'text', state: 'succeeded', epoch: 1, owner: null, owed: to.owed });
    expect(read['endedAt']).toEqual(at);
    expect(read['endedAt']).toBeInstanceOf(Date);
    // The loser of a race rolls the document forward from the text too.
    expect(await fences.transition('text', '1/end', { state: 'running', epoch: 1 }, { owner: 'b' })).toBe(false);
    expect(await runs.findOne({ _id: 'text' })).toMatchObject({ state: 'succeeded', owner: null, endedAt: at });
  });

  it('batched inserts: of many racing inserts of one _id (some in the same batch) exactly one is told it won', async () => {
    interface Doc {
      _id: string;
      by: string;
    }
    const docs = conn.db.collection<Doc>('batched');
    const inserts = createBatchedInserts(docs, { same: (a, b) => a.by === b.by, maxBatch: 64 });
    await docs.insertOne({ _id: 'taken', by: 'earlier' });
    const attempts = Array.from({ length: 200 }, (_, i) => ({
      _id: i < 4 ? 'taken' : `id-${i % 50}`,
      by: `writer-${i}`,
    }));
    const results = await Promise.all(attempts.map((d) => inserts.insert(d)));
    const winners = new Map<string, string>();
    attempts.forEach((d, i) => {
      if (!results[i]) return;
      expect(winners.has(d._id)).toBe(false);
      winners.set(d._id, d.by);
    });
    expect(winners.has('taken')).toBe(false);
    expect(winners.size).toBe(attempts.filter((d) => d._id !== 'taken').reduce((s, d) => s.add(d._id), new Set()).size);
    for (const [id, by] of winners) expect((await docs.findOne({ _id: id }))?.by).toBe(by);
    expect((await docs.findOne({ _id: 'taken' }))?.by).toBe('earlier');
  });
});
