import { MongoClient, MongoBulkWriteError, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMongo, type MongoConnection } from '@longhaul/mongo';
import { testStack, uniqueName } from '../helpers/stack';

interface Job {
  _id: string;
  tenant: string;
  status: string;
  seq: number;
}

// The official driver against the MongoDB-wire-compatible server (FerretDB) the stack runs.
describe('the database through the official driver', () => {
  const stack = testStack();
  const database = uniqueName('it-mongo');
  let conn: MongoConnection;

  beforeAll(async () => {
    conn = await connectMongo({ url: stack.mongoUrl, database, appName: 'mongo-test' });
  });
  afterAll(async () => {
    await conn.db.dropDatabase().catch(() => undefined);
    await conn.close();
  });

  it('answers a ping', async () => {
    expect(await conn.ping()).toBe(true);
  });

  it('inserts, and a unique index rejects a duplicate with E11000', async () => {
    const keys = conn.db.collection<{ _id: string; tenant: string; key: string }>('keys');
    await keys.createIndex({ tenant: 1, key: 1 }, { unique: true });
    await keys.insertOne({ _id: 'a', tenant: 't1', key: 'k' });
    await keys.insertOne({ _id: 'b', tenant: 't2', key: 'k' });
    const err = await keys.insertOne({ _id: 'c', tenant: 't1', key: 'k' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect((err as MongoServerError).code).toBe(11000);
    expect(await keys.countDocuments()).toBe(2);
  });

  it('findOneAndUpdate upserts, and a conditional filter refuses a stale update', async () => {
    const jobs = conn.db.collection<Job>('jobs');
    const first = await jobs.findOneAndUpdate(
      { _id: 'j1' },
      { $setOnInsert: { tenant: 't1' }, $set: { status: 'queued', seq: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(first).toMatchObject({ _id: 'j1', tenant: 't1', status: 'queued', seq: 1 });

    // Newer: applies.
    const newer = await jobs.findOneAndUpdate(
      { _id: 'j1', seq: { $lt: 3 } },
      { $set: { status: 'running', seq: 3 } },
      { returnDocument: 'after' },
    );
    expect(newer).toMatchObject({ status: 'running', seq: 3 });

    // Stale (seq 2 < 3): the filter matches nothing; without upsert nothing changes.
    const stale = await jobs.findOneAndUpdate({ _id: 'j1', seq: { $lt: 2 } }, { $set: { status: 'queued', seq: 2 } });
    expect(stale).toBeNull();
    expect(await jobs.findOne({ _id: 'j1' })).toMatchObject({ status: 'running', seq: 3 });
  });

  it('bulkWrite unordered applies every valid operation despite a failing one', async () => {
    const items = conn.db.collection<{ _id: string; n: number }>('bulk');
    await items.insertOne({ _id: 'dup', n: 0 });
    const err = await items
      .bulkWrite(
        [
          { insertOne: { document: { _id: 'x1', n: 1 } } },
          { insertOne: { document: { _id: 'dup', n: 99 } } },
          { insertOne: { document: { _id: 'x2', n: 2 } } },
          { updateOne: { filter: { _id: 'x3' }, update: { $set: { n: 3 } }, upsert: true } },
        ],
        { ordered: false },
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    const bulkErr = err as MongoBulkWriteError;
    expect(bulkErr.writeErrors).toHaveLength(1);
    expect(bulkErr.result.insertedCount).toBe(2);
    expect(bulkErr.result.upsertedCount).toBe(1);
    const docs = await items.find().sort({ _id: 1 }).toArray();
    expect(docs).toEqual([
      { _id: 'dup', n: 0 },
      { _id: 'x1', n: 1 },
      { _id: 'x2', n: 2 },
      { _id: 'x3', n: 3 },
    ]);
  });

  it('replaces a client whose server check hangs, and handles taken before keep working', async () => {
    const replaced: string[] = [];
    const own = await connectMongo({
      url: stack.mongoUrl,
      database,
      appName: 'mongo-test-watchdog',
      stuckHeartbeatMs: 300,
      onReplaced: (reason) => replaced.push(reason),
    });
    try {
      const jobs = own.db.collection<Job>('watchdog');
      await jobs.insertOne({ _id: 'before', tenant: 't', status: 'queued', seq: 1 });
      const first = own.client;
      // What a wedged monitor looks like from outside: a check that started and never ends.
      first.emit('serverHeartbeatStarted', {} as never);
      const deadline = Date.now() + 10_000;
      while (own.client === first && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(own.client).not.toBe(first);
      expect(replaced).toHaveLength(1);
      expect(replaced[0]).toMatch(/unanswered/);
      // The collection handle taken before the replacement now goes through the new client.
      await jobs.insertOne({ _id: 'after', tenant: 't', status: 'queued', seq: 2 });
      expect((await jobs.find({}).toArray()).map((j) => j._id).sort()).toEqual(['after', 'before']);
      expect(await own.ping()).toBe(true);
      // The old client was closed.
      await expect(first.db(database).command({ ping: 1 })).rejects.toThrow();
    } finally {
      await own.close();
    }
  });

  it('fails fast and clearly when the server is not there', async () => {
    const client = new MongoClient('mongodb://127.0.0.1:1', { serverSelectionTimeoutMS: 500 });
    await expect(client.connect()).rejects.toThrow();
    await client.close();
  });
});
