import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEventCodec,
  createSchemaRegistry,
  type JobCancelRequested,
  type JobRequested,
} from '@longhaul/contracts';
import { startIngress, type IngressUnderTest } from '../helpers/ingress';
import { countMessages, readMessages } from '../helpers/kafka';
import { testStack } from '../helpers/stack';
import { adminKey, tenants } from '../helpers/tenants';
import { waitFor } from '../helpers/wait';

const acme = tenants.acme.key;
const globex = tenants.globex.key;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('the job API (ingress against the real stack)', () => {
  let api: IngressUnderTest;
  beforeAll(async () => {
    api = await startIngress();
  }, 90_000);
  afterAll(() => api?.stop());

  const db = () => api.db;
  const submit = (body: unknown, key: string = acme, headers: Record<string, string> = {}) =>
    api.call('POST', '/v1/jobs', { key, body, headers });

  it('accepts a job only after Kafka has it, and reads it back at once', async () => {
    const res = await submit({
      type: 'report.generate',
      payload: { steps: 3, stepMs: 10 },
      webhook: { url: 'https://hooks.example.com/in', events: ['job.succeeded'] },
      options: { maxAttempts: 2 },
    });
    expect(res.status).toBe(202);
    const { id } = res.body as { id: string };
    expect(id).toMatch(ULID);
    expect(res.headers.get('location')).toBe(`/v1/jobs/${id}`);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body).toMatchObject({
      id,
      type: 'report.generate',
      status: 'queued',
      links: { self: `/v1/jobs/${id}`, cancel: `/v1/jobs/${id}/cancel` },
    });

    // The acceptance record is there, its outbox entry is gone (Kafka acknowledged it), and
    // the event is on the requests topic, keyed by job id.
    const record = await db()
      .collection('acceptances')
      .findOne({ _id: id as never });
    expect(record).toMatchObject({ tenant: 'acme', state: 'accepted' });
    // The outbox entry goes soon after (deletes are grouped every half second).
    await waitFor(
      'the outbox entry to go',
      async () =>
        (await db()
          .collection('acceptance_outbox')
          .countDocuments({ _id: id as never })) === 0,
      { timeoutMs: 5_000, intervalMs: 100 },
    );
    const topic = `${api.prefix}jobs.requested`;
    const [message] = await readMessages(topic, 1);
    expect(message?.key?.toString()).toBe(id);
    expect(message?.headers?.['longhaul-event-type']?.toString()).toBe('JobRequested');
    const codec = createEventCodec(createSchemaRegistry({ url: testStack().schemaRegistryUrl }), api.prefix);
    const event = (await codec.decode({ value: message!.value })) as JobRequested;
    expect(event).toMatchObject({
      eventType: 'JobRequested',
      jobId: id,
      tenant: 'acme',
      jobType: 'report.generate',
      attempt: 1,
      epoch: 0,
      sequence: 0,
      maxAttempts: 2,
      timeoutMs: 7_200_000,
      webhook: { url: 'https://hooks.example.com/in', events: ['job.succeeded'], hasSecret: false },
    });
    expect(JSON.parse(event.payload)).toEqual({ steps: 3, stepMs: 10 });

    const got = await api.call('GET', `/v1/jobs/${id}`, { key: acme });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      id,
      type: 'report.generate',
      status: 'queued',
      attempt: 0,
      maxAttempts: 2,
      progress: null,
      result: null,
      error: null,
      startedAt: null,
      webhook: { url: 'https://hooks.example.com/in', events: ['job.succeeded'] },
    });
    expect(got.headers.get('retry-after')).toBe('1');
    const etag = got.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const again = await api.call('GET', `/v1/jobs/${id}`, { key: acme, headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('never shows a webhook secret, and keeps it encrypted at rest', async () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const res = await submit({
      type: 'sleep',
      payload: { ms: 1 },
      webhook: { url: 'https://hooks.example.com/s', secret },
    });
    expect(res.status).toBe(202);
    const { id } = res.body as { id: string };
    const got = await api.call('GET', `/v1/jobs/${id}`, { key: acme });
    expect(got.text).not.toContain('whsec_');
    const raw = await db()
      .collection('acceptances')
      .findOne({ _id: id as never });
    const stored = JSON.stringify(raw);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(secret.slice(6));
    // The request is kept as JSON text (one field for FerretDB to convert, not a tree).
    expect(typeof raw?.['request']).toBe('string');
    expect(raw?.['request']).toMatch(/"sealedSecret":"v1\./);
  });

  it('read-your-writes: 200 concurrent submissions, each read at once, never 404', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const res = await submit({ type: 'sleep', payload: { ms: 5 } });
        if (res.status !== 202) return `POST ${res.status}`;
        const got = await api.call('GET', res.headers.get('location')!, { key: acme });
        return got.status === 200 && (got.body as { status: string }).status === 'queued' ? 'ok' : `GET ${got.status}`;
      }),
    );
    expect(statuses.filter((s) => s !== 'ok')).toEqual([]);
  });

  it('authenticates every call and keeps tenants apart: a foreign job is a 404 like an unknown one', async () => {
    const res = await submit({ type: 'sleep', payload: { ms: 1 } });
    const { id } = res.body as { id: string };

    const anonymous = await api.call('GET', `/v1/jobs/${id}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
    expect((await api.call('GET', `/v1/jobs/${id}`, { key: `${acme}x` })).status).toBe(401);
    expect((await api.call('GET', `/v1/jobs/${id}`, { key: adminKey })).status).toBe(403);

    const foreign = await api.call('GET', `/v1/jobs/${id}`, { key: globex });
    const unknown = await api.call('GET', '/v1/jobs/01JQ3ZK5V8G6W9T1B2C3D4E5F6', { key: globex });
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect((foreign.body as { type: string }).type).toBe((unknown.body as { type: string }).type);
    expect((await api.call('POST', `/v1/jobs/${id}/cancel`, { key: globex })).status).toBe(404);
    const globexList = await api.call('GET', '/v1/jobs', { key: globex });
    expect((globexList.body as { items: unknown[] }).items).toEqual([]);
  });

  describe('Idempotency-Key', () => {
    it('returns the same job and response for the same key and body, 422 for another body', async () => {
      const headers = { 'idempotency-key': 'order-4711' };
      const body = { type: 'sleep', payload: { ms: 3 } };
      const first = await submit(body, acme, headers);
      // Same body, keys in another order: the same request.
      const second = await submit({ payload: { ms: 3 }, type: 'sleep' }, acme, headers);
      expect(first.status).toBe(202);
      expect(second.status).toBe(202);
      expect(second.body).toEqual(first.body);
      expect(second.headers.get('location')).toBe(first.headers.get('location'));

      const other = await submit({ type: 'sleep', payload: { ms: 4 } }, acme, headers);
      expect(other.status).toBe(422);
      expect((other.body as { type: string }).type).toBe('/problems/idempotency-key-reused');

      // Keys are per tenant: the same key elsewhere is another request.
      const elsewhere = await submit(body, globex, headers);
      expect(elsewhere.status).toBe(202);
      expect((elsewhere.body as { id: string }).id).not.toBe((first.body as { id: string }).id);
    });

    it('creates exactly one job from concurrent identical requests; the others see 409 or the same job', async () => {
      const before = await countMessages(`${api.prefix}jobs.requested`);
      const headers = { 'idempotency-key': '"concurrent-1"' };
      const results = await Promise.all(
        Array.from({ length: 12 }, () => submit({ type: 'sleep', payload: { ms: 9 } }, acme, headers)),
      );
      const ids = new Set(results.filter((r) => r.status === 202).map((r) => (r.body as { id: string }).id));
      expect(ids.size).toBe(1);
      for (const r of results) expect([202, 409]).toContain(r.status);
      const conflict = results.find((r) => r.status === 409);
      if (conflict) expect((conflict.body as { type: string }).type).toBe('/problems/idempotent-request-in-flight');
      expect(await countMessages(`${api.prefix}jobs.requested`)).toBe(before + 1);
      const [id] = [...ids];
      expect(
        await db()
          .collection('acceptances')
          .countDocuments({ _id: id as never }),
      ).toBe(1);
    });
  });

  describe('cancel', () => {
    it('flags a queued job durably, broadcasts the request, and is repeatable', async () => {
      const { id } = (await submit({ type: 'sleep', payload: { ms: 60_000 } })).body as { id: string };
      const first = await api.call('POST', `/v1/jobs/${id}/cancel`, { key: acme });
      expect(first.status).toBe(202);
      expect(first.body).toMatchObject({ id, status: 'queued', cancelRequested: true });
      const repeat = await api.call('POST', `/v1/jobs/${id}/cancel`, { key: acme });
      expect(repeat.status).toBe(202);

      const record = await db()
        .collection('acceptances')
        .findOne({ _id: id as never });
      expect(record?.['cancelRequestedAt']).toBeInstanceOf(Date);
      const got = await api.call('GET', `/v1/jobs/${id}`, { key: acme });
      expect((got.body as { cancelRequested: boolean }).cancelRequested).toBe(true);

      const codec = createEventCodec(createSchemaRegistry({ url: testStack().schemaRegistryUrl }), api.prefix);
      const messages = await readMessages(`${api.prefix}jobs.control`, 2);
      const events = (await Promise.all(messages.map((m) => codec.decode({ value: m.value })))) as JobCancelRequested[];
      expect(events.map((e) => [e.eventType, e.jobId, e.tenant])).toEqual([
        ['JobCancelRequested', id, 'acme'],
        ['JobCancelRequested', id, 'acme'],
      ]);
    });

    it('answers 409 for a job that already finished', async () => {
      const { id } = (await submit({ type: 'sleep', payload: { ms: 1 } })).body as { id: string };
      // Stands in for the projector (its own issue) having applied the job's success.
      await db()
        .collection('jobs')
        .insertOne(projected(id, 'acme', { status: 'succeeded', result: '{"ok":true}' }) as never);
      const got = await api.call('GET', `/v1/jobs/${id}`, { key: acme });
      expect(got.body).toMatchObject({ status: 'succeeded', result: { ok: true } });
      expect(got.headers.get('retry-after')).toBeNull();
      const res = await api.call('POST', `/v1/jobs/${id}/cancel`, { key: acme });
      expect(res.status).toBe(409);
      expect((res.body as { type: string }).type).toBe('/problems/job-finished');
    });
  });

  it('lists the tenant’s projected jobs newest first, filtered, with a cursor', async () => {
    const ids = [
      '01KA0000000000000000000001',
      '01KA0000000000000000000002',
      '01KA0000000000000000000003',
      '01KA0000000000000000000004',
      '01KA0000000000000000000005',
    ];
    await db()
      .collection('jobs')
      .insertMany([
        ...ids.map((id, i) => projected(id, 'globex', { status: i % 2 === 0 ? 'running' : 'failed' })),
        projected('01KA0000000000000000000009', 'acme', { status: 'running' }),
      ] as never[]);
    const page1 = await api.call('GET', '/v1/jobs?limit=2', { key: globex });
    expect(page1.status).toBe(200);
    const body1 = page1.body as { items: { id: string }[]; nextCursor: string; links: { next: string } };
    expect(body1.items.map((j) => j.id)).toEqual([ids[4], ids[3]]);
    const page2 = await api.call('GET', body1.links.next, { key: globex });
    const body2 = page2.body as { items: { id: string }[]; nextCursor: string };
    expect(body2.items.map((j) => j.id)).toEqual([ids[2], ids[1]]);
    const running = await api.call('GET', '/v1/jobs?status=running&type=sleep', { key: globex });
    expect((running.body as { items: { id: string }[] }).items.map((j) => j.id)).toEqual([ids[4], ids[2], ids[0]]);
  });

  it('answered everything above as the OpenAPI document says', async () => {
    const doc = await api.call('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body).toMatchObject({ openapi: '3.1.0' });
    expect(api.violations).toEqual([]);
    expect([...api.openapi.checked].sort()).toEqual(
      expect.arrayContaining([
        'POST /v1/jobs 202',
        'POST /v1/jobs 422',
        'GET /v1/jobs/{id} 200',
        'GET /v1/jobs/{id} 304',
        'GET /v1/jobs/{id} 401',
        'GET /v1/jobs/{id} 404',
        'GET /v1/jobs 200',
        'POST /v1/jobs/{id}/cancel 202',
        'POST /v1/jobs/{id}/cancel 409',
      ]),
    );
  });
});

/** A read-model document as the projector writes it. */
function projected(id: string, tenant: string, over: Record<string, unknown>) {
  const t = new Date();
  return {
    _id: id,
    tenant,
    type: 'sleep',
    status: 'queued',
    progress: null,
    attempt: 1,
    maxAttempts: 3,
    nextAttemptAt: null,
    result: null,
    error: null,
    createdAt: t,
    startedAt: t,
    finishedAt: null,
    updatedAt: t,
    epoch: 1,
    sequence: 3,
    ...over,
  };
}
