import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { durableProducer, ensureTopics } from '@longhaul/kafka';
import { testStack, uniqueName } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

// kafkajs against the real single-node KRaft broker that `npm test` started.
describe('kafkajs against the broker', () => {
  const stack = testStack();
  const kafka = new Kafka({ clientId: 'kafka-test', brokers: stack.kafkaBrokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const topic = uniqueName('it-kafka');
  const groupId = uniqueName('it-group');
  const consumers: Consumer[] = [];

  beforeAll(async () => {
    await admin.connect();
  });
  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.disconnect().catch(() => undefined)));
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates a topic with N partitions, and creating it again is a no-op', async () => {
    expect(await ensureTopics(admin, [{ topic, numPartitions: 4 }])).toEqual([topic]);
    expect(await ensureTopics(admin, [{ topic, numPartitions: 4 }])).toEqual([]);
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0]?.partitions).toHaveLength(4);
  });

  it('produces with acks=all and the idempotent producer, consumed by a group of two that split the partitions, and a restarted member resumes from the committed offset', async () => {
    const producer = kafka.producer(durableProducer);
    await producer.connect();
    const send = async (from: number, count: number) => {
      const messages = Array.from({ length: count }, (_, i) => ({ key: `k${from + i}`, value: `m${from + i}` }));
      const acks = await producer.send({ topic, acks: -1, messages });
      expect(acks.every((r) => r.errorCode === 0)).toBe(true);
    };
    await send(0, 40);

    const seen = new Map<string, string[]>(); // member → values
    const assignments = new Map<string, number[]>();
    const startMember = async (member: string) => {
      const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 500 });
      consumers.push(consumer);
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        assignments.set(member, e.payload.memberAssignment[topic] ?? []);
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          seen.set(member, [...(seen.get(member) ?? []), String(message.value)]);
          await Promise.resolve();
        },
      });
      return consumer;
    };

    const a = await startMember('a');
    const b = await startMember('b');
    // Both members hold partitions, the split is disjoint and covers all four.
    await waitFor('a two-member assignment', () => {
      const pa = assignments.get('a') ?? [];
      const pb = assignments.get('b') ?? [];
      return pa.length > 0 && pb.length > 0 && pa.length + pb.length === 4;
    });
    const pa = assignments.get('a') ?? [];
    const pb = assignments.get('b') ?? [];
    expect(new Set([...pa, ...pb])).toEqual(new Set([0, 1, 2, 3]));
    expect(pa.filter((p) => pb.includes(p))).toEqual([]);

    const all = () => [...seen.values()].flat();
    await waitFor('all 40 messages', () => new Set(all()).size === 40, { timeoutMs: 30_000 });

    // Offsets are committed: after both leave, the group's committed offsets cover all 40.
    await a.disconnect();
    await b.disconnect();
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const total = committed[0]?.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
    expect(total).toBe(40);

    // A restarted member resumes from the committed offsets: it sees only the new messages.
    await send(40, 10);
    seen.clear();
    await startMember('c');
    await waitFor('the 10 new messages', () => (seen.get('c') ?? []).length >= 10, { timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 500));
    expect([...(seen.get('c') ?? [])].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `m${40 + i}`).sort());
    await producer.disconnect();
  });
});
