import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startKafkaComponent, startMongoComponent, type Component } from '@longhaul/local-stack';
import { startIngress, type IngressUnderTest } from '../helpers/ingress';
import { testStack, uniqueName } from '../helpers/stack';
import { readMessages } from '../helpers/kafka';
import { waitFor } from '../helpers/wait';
import { tenants } from '../helpers/tenants';

const key = tenants.acme.key;
const PRODUCE_TIMEOUT_MS = 2_000;
const sleepJob = { type: 'sleep', payload: { ms: 1 } };

/**
 * Outages of the ingress's own Kafka or MongoDB (components of this test, so the shared stack
 * is untouched): clear 503s within the bound, readiness kept, and no accepted job lost.
 */
describe('ingress during outages', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it(
    'answers 503 within the bound while Kafka is down, accepts again after, and loses no 202',
    { timeout: 240_000 },
    async () => {
      const kafka: Component = await startKafkaComponent(
        join(testStack().dataDir, uniqueName('outage-kafka')),
        testStack().cacheDir,
      );
      cleanup.push(() => kafka.stop());
      const api: IngressUnderTest = await startIngress({
        LONGHAUL_KAFKA_BROKERS: kafka.endpoint,
        LONGHAUL_PRODUCE_TIMEOUT_MS: String(PRODUCE_TIMEOUT_MS),
      });
      cleanup.push(() => api.stop());
      const accepted: string[] = [];
      const submit = async () => {
        const res = await api.call('POST', '/v1/jobs', { key, body: sleepJob });
        if (res.status === 202) accepted.push((res.body as { id: string }).id);
        return res;
      };

      for (let i = 0; i < 10; i++) expect((await submit()).status).toBe(202);

      await kafka.stop();
      const started = Date.now();
      const during = await Promise.all(Array.from({ length: 5 }, submit));
      const elapsed = Date.now() - started;
      for (const res of during) {
        expect(res.status).toBe(503);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      // Bounded: the produce timeout plus request overhead, never a hang.
      expect(elapsed).toBeLessThan(PRODUCE_TIMEOUT_MS + 5_000);
      // Still routable and ready, and reads still work: clients get answers, not a missing route.
      expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
      expect((await api.call('GET', `/v1/jobs/${accepted[0]}`, { key })).status).toBe(200);
      // Every request answered 503 is rejected for good: neither the relay nor a processor runs it.
      const acceptances = api.db.collection('acceptances');
      const rejected = await acceptances.find({ state: 'rejected' }).toArray();
      expect(rejected).toHaveLength(5);

      await kafka.start();
      await waitFor('POST to succeed again', async () => (await submit()).status === 202, {
        timeoutMs: 60_000,
        intervalMs: 500,
      });
      for (let i = 0; i < 10; i++) expect((await submit()).status).toBe(202);

      // Every job that got a 202 is on the topic. (So may be some that got a 503: kafkajs
      // delivered them late, which is why their records are rejected and processors skip them.)
      const seen = (ms: { key: Buffer | null }[]) => new Set(ms.map((m) => m.key?.toString()));
      const messages = await readMessages(`${api.prefix}jobs.requested`, 0, {
        brokers: [kafka.endpoint],
        timeoutMs: 60_000,
        until: (ms) => accepted.every((id) => seen(ms).has(id)),
      });
      const ids = seen(messages);
      expect(accepted.filter((id) => !ids.has(id))).toEqual([]);
      expect(await acceptances.countDocuments({ _id: { $in: accepted as never[] }, state: 'accepted' })).toBe(
        accepted.length,
      );
      await waitFor(
        'the outbox to empty',
        async () => (await api.db.collection('acceptance_outbox').countDocuments()) === 0,
        { timeoutMs: 5_000, intervalMs: 100 },
      );
    },
  );

  it('answers 503 for reads and submissions while MongoDB is down, and recovers', { timeout: 120_000 }, async () => {
    const mongo = await startMongoComponent(
      join(testStack().dataDir, uniqueName('outage-mongo')),
      testStack().cacheDir,
      dirname(testStack().dataDir),
    );
    cleanup.push(() => mongo.stop());
    const api = await startIngress({ LONGHAUL_MONGO_URL: mongo.endpoint });
    cleanup.push(() => api.stop());
    const first = await api.call('POST', '/v1/jobs', { key, body: sleepJob });
    expect(first.status).toBe(202);
    const location = first.headers.get('location')!;

    await mongo.stop();
    const read = await api.call('GET', location, { key });
    expect(read.status).toBe(503);
    expect((read.body as { type: string }).type).toBe('/problems/unavailable');
    // Accepting needs the acceptance record (read-your-writes), so it waits for MongoDB too.
    const submit = await api.call('POST', '/v1/jobs', { key, body: sleepJob });
    expect(submit.status).toBe(503);
    expect((await fetch(`${api.url}/readyz`)).status).toBe(200);

    await mongo.start();
    await waitFor('reads to work again', async () => (await api.call('GET', location, { key })).status === 200, {
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    expect((await api.call('POST', '/v1/jobs', { key, body: sleepJob })).status).toBe(202);
    expect(api.violations).toEqual([]);
  });
});
