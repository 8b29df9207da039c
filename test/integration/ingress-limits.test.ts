import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createEventCodec, createSchemaRegistry, type JobRequested } from '@longhaul/contracts';
import { startIngress, type IngressUnderTest } from '../helpers/ingress';
import { readMessages } from '../helpers/kafka';
import { testStack } from '../helpers/stack';
import { tenants } from '../helpers/tenants';
import { waitFor } from '../helpers/wait';

describe('ingress limits, metrics and the outbox relay', () => {
  const started: IngressUnderTest[] = [];
  afterAll(async () => {
    for (const api of started) await api.stop();
  });

  it('rate-limits per tenant with a token bucket: 429 with Retry-After, other tenants unaffected', async () => {
    const api = await startIngress({ LONGHAUL_RATE_LIMIT_PER_SECOND: '1', LONGHAUL_RATE_LIMIT_BURST: '3' });
    started.push(api);
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof api.call>> | undefined;
    for (let i = 0; i < 5; i++) {
      const res = await api.call('GET', '/v1/jobs', { key: tenants.acme.key });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toContain(429);
    expect(limited?.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect((limited?.body as { type: string }).type).toBe('/problems/rate-limited');
    expect((await api.call('GET', '/v1/jobs', { key: tenants.globex.key })).status).toBe(200);
    expect(api.violations).toEqual([]);
  });

  it('counts requests by route and status, jobs accepted by type, and publish latency', async () => {
    const api = await startIngress();
    started.push(api);
    expect(
      (
        await api.call('POST', '/v1/jobs', {
          key: tenants.acme.key,
          body: { type: 'cpu.hash', payload: { rounds: 1 } },
        })
      ).status,
    ).toBe(202);
    await api.call('GET', '/v1/jobs/01KA0000000000000000000000', { key: tenants.acme.key });
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/longhaul_jobs_accepted_total\{type="cpu\.hash",tenant="other",service="ingress"\} 1/);
    expect(metrics).toMatch(
      /longhaul_http_requests_total\{method="POST",route="\/v1\/jobs",status="202",service="ingress"\} 1/,
    );
    expect(metrics).toMatch(
      /longhaul_http_requests_total\{method="GET",route="\/v1\/jobs\/:id",status="404",service="ingress"\} 1/,
    );
    const publishCount = metrics
      .split('\n')
      .find((l) => l.startsWith('longhaul_kafka_publish_duration_seconds_count{'));
    expect(publishCount).toContain('outcome="acknowledged"');
    expect(publishCount).toMatch(/ 1$/);
    // Never a job id or a key in a label.
    expect(metrics).not.toMatch(/01KA0000000000000000000000|acme_test_key/);
  });

  it(
    'publishes an acceptance a crashed request left pending, once, with its own event id',
    { timeout: 60_000 },
    async () => {
      const api = await startIngress({ LONGHAUL_PRODUCE_TIMEOUT_MS: '500' });
      started.push(api);
      // What a request that died between writing its record and producing leaves behind: the
      // record and its outbox entry. And an entry without a record (the request died even
      // earlier, so no 202 was given), which the relay must drop, not publish.
      const id = '01KA00000000000000000STRND';
      const createdAt = new Date(Date.now() - 60_000);
      const db = api.db;
      await db.collection('acceptances').insertOne({
        _id: id as never,
        tenant: 'acme',
        type: 'sleep',
        state: 'accepted',
        createdAt,
        rejectedAt: null,
        cancelRequestedAt: null,
        request: {
          eventId: 'evt-stranded-1',
          payload: '{"ms":1}',
          maxAttempts: 3,
          timeoutMs: 60_000,
          webhook: null,
          traceHeaders: {},
        },
      });
      await db.collection('acceptance_outbox').insertMany([
        { _id: id as never, createdAt, claimedUntil: null },
        { _id: '01KA0000000000000000NORCRD' as never, createdAt, claimedUntil: null },
      ]);
      await waitFor(
        'the relay to empty the outbox',
        async () => (await db.collection('acceptance_outbox').countDocuments()) === 0,
        {
          timeoutMs: 30_000,
          intervalMs: 250,
        },
      );
      const messages = await readMessages(`${api.prefix}jobs.requested`, 2, { timeoutMs: 5_000 });
      expect(messages).toHaveLength(1);
      const [message] = messages;
      const codec = createEventCodec(createSchemaRegistry({ url: testStack().schemaRegistryUrl }), api.prefix);
      const event = (await codec.decode({ value: message!.value })) as JobRequested;
      expect(event).toMatchObject({ jobId: id, eventId: 'evt-stranded-1', tenant: 'acme', time: createdAt.getTime() });
      const metrics = await (await fetch(`${api.url}/metrics`)).text();
      expect(metrics).toMatch(/longhaul_acceptances_relayed_total\{service="ingress"\} 1/);
    },
  );
  it(
    'a retry with the Idempotency-Key of a request that died after writing its record publishes that job',
    { timeout: 60_000 },
    async () => {
      const api = await startIngress();
      started.push(api);
      const db = api.db;
      const body = { type: 'sleep', payload: { ms: 1 } };
      const headers = (key: string) => ({ 'idempotency-key': key });
      // A finished request with this body, to learn the fingerprint the ingress gives it.
      const first = await api.call('POST', '/v1/jobs', { key: tenants.acme.key, body, headers: headers('k-first') });
      expect(first.status).toBe(202);
      const keyId = (key: string) => `acme:${createHash('sha256').update(key).digest('base64url')}`;
      const done = await db.collection('idempotency_keys').findOne({ _id: keyId('k-first') as never });
      // What a request with key k-died leaves when it dies after writing its acceptance record,
      // before its outbox entry (they are written side by side) and before producing: the key's
      // claim, expired, and the record. Nothing on the topic.
      const id = '01KA00000000000000000DEAD1';
      const now = Date.now();
      await db.collection('idempotency_keys').insertOne({
        _id: keyId('k-died') as never,
        tenant: 'acme',
        fingerprint: done?.['fingerprint'],
        jobId: id,
        state: 'in_flight',
        leaseUntil: new Date(now - 1_000),
        expiresAt: new Date(now + 3_600_000),
        response: null,
      });
      await db.collection('acceptances').insertOne({
        _id: id as never,
        tenant: 'acme',
        type: 'sleep',
        state: 'accepted',
        createdAt: new Date(now - 10_000),
        rejectedAt: null,
        cancelRequestedAt: null,
        request: JSON.stringify({
          eventId: 'evt-died-1',
          payload: '{"ms":1}',
          maxAttempts: 3,
          timeoutMs: 60_000,
          webhook: null,
          traceHeaders: {},
        }),
      });
      const retry = await api.call('POST', '/v1/jobs', { key: tenants.acme.key, body, headers: headers('k-died') });
      expect(retry.status).toBe(202);
      expect(retry.body).toMatchObject({ id, status: 'queued' });
      const codec = createEventCodec(createSchemaRegistry({ url: testStack().schemaRegistryUrl }), api.prefix);
      const messages = await readMessages(`${api.prefix}jobs.requested`, 2, { timeoutMs: 10_000 });
      const events = (await Promise.all(messages.map((m) => codec.decode({ value: m.value })))) as JobRequested[];
      expect(events.map((e) => e.jobId).sort()).toEqual([(first.body as { id: string }).id, id].sort());
      expect(events.find((e) => e.jobId === id)).toMatchObject({ eventId: 'evt-died-1', tenant: 'acme' });
      // And the same key again is a replay of that answer.
      const again = await api.call('POST', '/v1/jobs', { key: tenants.acme.key, body, headers: headers('k-died') });
      expect(again.body).toMatchObject({ id });
      expect(api.violations).toEqual([]);
    },
  );
});
