import {
  isTerminal,
  LonghaulError,
  LonghaulNetworkError,
  verifyWebhook,
  WaitTimeoutError,
  WebhookVerificationError,
  type JobEvent,
  type LonghaulClient,
} from '@longhaul/client';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkClient, type RecordedCall } from '../helpers/client';
import { startIngress, type IngressUnderTest } from '../helpers/ingress';
import { startProcessor } from '../helpers/processors';
import { startProjector } from '../helpers/projector';
import { startReceiver, type Receiver } from '../helpers/receivers';
import { repoRoot, startWorker, type WorkerUnderTest } from '../helpers/service-process';
import { testStack } from '../helpers/stack';
import { tenants } from '../helpers/tenants';
import { waitFor } from '../helpers/wait';

const outbound = { LONGHAUL_WEBHOOK_ALLOW_HTTP: 'true', LONGHAUL_WEBHOOK_ALLOW_CIDRS: '127.0.0.2/32' };
const jobIdOf = (body: string) => (JSON.parse(body) as { data: { id: string } }).data.id;

describe('the TypeScript client (@longhaul/client) against the real stack', () => {
  let api: IngressUnderTest;
  let client: LonghaulClient;
  let calls: RecordedCall[];
  const workers: WorkerUnderTest[] = [];
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    // Retry-After of 2 s while a job runs, so the test can tell polling follows it.
    api = await startIngress({ ...outbound, LONGHAUL_POLL_AFTER_SECONDS: '2' });
    ({ client, calls } = sdkClient(api));
    workers.push(await startProjector(api));
    workers.push(
      await startWorker('notifier', {
        prefix: api.prefix,
        database: api.database,
        name: 'notifier-sdk',
        extra: { ...outbound, LONGHAUL_WEBHOOK_RETRY_SCHEDULE: '0, 200ms', LONGHAUL_WEBHOOK_POLL_MS: '200' },
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await Promise.all(workers.filter((w) => w.alive()).map((w) => w.terminate()));
    await api?.stop();
  });

  it('its generated types are up to date with the document the ingress serves', () => {
    const check = spawnSync(
      testStack().node,
      [join(repoRoot, 'libs/client/scripts/generate-types.mjs'), '--check', `${api.url}/openapi.json`],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(check.status, `${check.stdout}${check.stderr}`).toBe(0);
  });

  it('lag: requests wait on the topic until a processor joins, then the lag drains to 0', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await client.jobs.submit({ type: 'sleep', payload: { ms: 10 } })).id);
    const before = await client.admin.lag();
    expect(before.topic).toBe(`${api.prefix}jobs.requested`);
    expect(before.group).toBe(`${api.prefix}processor`);
    expect(before.partitions.map((p) => p.partition)).toEqual([0, 1]);
    expect(before.totalLag).toBe(3);
    expect(before.partitions.every((p) => p.committedOffset === null)).toBe(true);

    workers.push(await startProcessor(api));
    await Promise.all(ids.map((id) => client.jobs.wait(id, { timeoutMs: 30_000 })));
    const after = await waitFor('the lag drained', async () => {
      const lag = await client.admin.lag();
      return lag.totalLag === 0 ? lag : undefined;
    });
    expect(after.partitions.reduce((n, p) => n + Number(p.endOffset), 0)).toBe(3);
  });

  it('submits with a generated Idempotency-Key: the same key gives the same job, another body with it is a 422', async () => {
    const first = await client.jobs.submit({ type: 'sleep', payload: { ms: 10 } });
    expect(first.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.location).toBe(`/v1/jobs/${first.id}`);
    expect(first.retryAfterMs).toBeGreaterThan(0);
    // Read-your-writes: found right after the 202.
    expect((await client.jobs.get(first.id)).id).toBe(first.id);
    const again = await client.jobs.submit(
      { type: 'sleep', payload: { ms: 10 } },
      { idempotencyKey: first.idempotencyKey! },
    );
    expect(again.id).toBe(first.id);
    const reused = await client.jobs
      .submit({ type: 'sleep', payload: { ms: 11 } }, { idempotencyKey: first.idempotencyKey! })
      .catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(LonghaulError);
    expect(reused).toMatchObject({ status: 422, type: '/problems/idempotency-key-reused' });
    const unkeyed = await client.jobs.submit({ type: 'sleep', payload: { ms: 10 } }, { idempotencyKey: false });
    expect(unkeyed.idempotencyKey).toBeNull();
    expect(
      calls
        .filter((c) => c.method === 'POST')
        .at(-1)!
        .headers.has('idempotency-key'),
    ).toBe(false);
  });

  it('waits for completion by polling as often as Retry-After says, and gets the result', async () => {
    const { id } = await client.jobs.submit({ type: 'report.generate', payload: { steps: 3, stepMs: 1500 } });
    const from = calls.length;
    const job = await client.jobs.wait(id);
    expect(job).toMatchObject({ id, status: 'succeeded', progress: { percent: 100 } });
    expect(job.result).toBeTruthy();
    const polls = calls.slice(from).filter((c) => c.path === `/v1/jobs/${id}`);
    expect(polls.length).toBeGreaterThanOrEqual(2);
    // Every poll after a non-final answer waited the 2 s the server asked for (not the client's 1 s default).
    const gaps = polls.slice(1).map((p, i) => p.at - polls[i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1_900);
    // Unchanged answers come back 304 and cost no body.
    expect(polls.slice(1).every((p) => p.headers.has('if-none-match'))).toBe(true);
  });

  it('waits by server-sent events too, and gives up with WaitTimeoutError at its deadline', async () => {
    const job = await client.jobs.run(
      { type: 'report.generate', payload: { steps: 2, stepMs: 300 } },
      { via: 'events' },
    );
    expect(job.status).toBe('succeeded');
    const slow = await client.jobs.submit({ type: 'sleep', payload: { ms: 30_000 } });
    const late = await client.jobs.wait(slow.id, { timeoutMs: 1_500 }).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(WaitTimeoutError);
    await client.jobs.cancel(slow.id);
  });

  it('lists with an async iterator over pages', async () => {
    const mine = [];
    for (let i = 0; i < 5; i++) mine.push((await client.jobs.submit({ type: 'sleep', payload: { ms: 5 } })).id);
    await Promise.all(mine.map((id) => client.jobs.wait(id, { timeoutMs: 30_000 })));
    const pages = [];
    for await (const page of client.jobs.pages({ type: 'sleep', limit: 2 })) pages.push(page);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.slice(0, -1).every((p) => p.items.length === 2 && p.nextCursor !== null)).toBe(true);
    expect(pages.at(-1)!.nextCursor).toBeNull();
    const ids = pages.flatMap((p) => p.items.map((j) => j.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of mine) expect(ids).toContain(id);
    const all = [];
    for await (const job of client.jobs.all({ type: 'sleep', status: 'succeeded', limit: 3 })) all.push(job.id);
    for (const id of mine) expect(all).toContain(id);
  });

  it('follows events to the end, and reconnects with Last-Event-ID when the stream breaks', async () => {
    // A connection that breaks after its second event (the first stream only).
    let broken = false;
    const { client: flaky, calls: flakyCalls } = sdkClient(api, {
      wrapBody: (path, res) => {
        if (!path.endsWith('/events') || broken || !res.body) return res;
        broken = true;
        let seen = 0;
        const cut = res.body.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, ctl) {
              ctl.enqueue(chunk);
              seen += (new TextDecoder().decode(chunk).match(/\n\n/g) ?? []).length;
              if (seen >= 3) ctl.error(new TypeError('terminated'));
            },
          }),
        );
        return new Response(cut, { status: res.status, headers: res.headers });
      },
    });
    const { id } = await flaky.jobs.submit({ type: 'report.generate', payload: { steps: 5, stepMs: 400 } });
    const events: JobEvent[] = [];
    const reconnects: unknown[] = [];
    // How many events had arrived when the stream broke: the cut comes after the chunk that
    // holds the third blank line, and on a busy machine one chunk may carry several events.
    const receivedAtBreak: number[] = [];
    const onReconnect = (_n: number, cause: unknown) => {
      reconnects.push(cause);
      receivedAtBreak.push(events.length);
    };
    for await (const e of flaky.jobs.events(id, { onReconnect })) events.push(e);
    expect(reconnects.length).toBeGreaterThanOrEqual(1);
    const streams = flakyCalls.filter((c) => c.path.endsWith('/events'));
    expect(streams.length).toBeGreaterThanOrEqual(2);
    // The second stream resumes after the last event the first one delivered.
    expect(receivedAtBreak[0]).toBeGreaterThanOrEqual(1);
    expect(streams[1]!.headers.get('last-event-id')).toBe(String(events[receivedAtBreak[0]! - 1]!.job.sequence));
    expect(events[0]!.type).toBe('job.state');
    expect(events.at(-1)!.type).toBe('job.succeeded');
    expect(isTerminal(events.at(-1)!.job.status)).toBe(true);
    const sequences = events.map((e) => e.job.sequence);
    expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
    expect(new Set(sequences).size).toBe(sequences.length);
  });

  it('cancels, and a second cancel of the finished job is a typed 409', async () => {
    const { id } = await client.jobs.submit({ type: 'sleep', payload: { ms: 20_000 } });
    expect((await client.jobs.cancel(id)).cancelRequested).toBe(true);
    expect((await client.jobs.wait(id, { timeoutMs: 30_000 })).status).toBe('cancelled');
    await expect(client.jobs.cancel(id)).rejects.toMatchObject({ status: 409, type: '/problems/job-finished' });
  });

  it('surfaces errors as typed problem details: 404, 422 with field pointers, 401, 403; network errors apart', async () => {
    const missing = await client.jobs.get('01JZZZZZZZZZZZZZZZZZZZZZZZ').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(LonghaulError);
    expect(missing).toMatchObject({ status: 404, type: '/problems/not-found', title: 'Not Found' });

    const invalid = (await client.jobs
      .submit({ type: 'report.generate', payload: { steps: 'many' } })
      .catch((e: unknown) => e)) as LonghaulError;
    expect(invalid).toBeInstanceOf(LonghaulError);
    expect(invalid.status).toBe(422);
    expect(invalid.errors.map((e) => e.pointer)).toContain('/payload/steps');

    const { client: stranger } = sdkClient(api, {
      apiKey: 'not_a_key_0123456789abcdefghijklmnopqrs',
      adminKey: 'not_a_key_0123456789abcdefghijklmnopqrs',
    });
    await expect(stranger.jobs.list()).rejects.toMatchObject({ status: 401, type: '/problems/unauthorized' });
    const { client: tenantOnly } = sdkClient(api, { adminKey: tenants.acme.key });
    await expect(tenantOnly.admin.lag()).rejects.toMatchObject({ status: 403, type: '/problems/forbidden' });

    const { client: nowhere } = sdkClient(api, { baseUrl: 'http://127.0.0.1:1' });
    const down = await nowhere.jobs.list().catch((e: unknown) => e);
    expect(down).toBeInstanceOf(LonghaulNetworkError);
    expect(down).not.toBeInstanceOf(LonghaulError);
  });

  it('manages webhooks, and verifies real deliveries with their secret (before and after a rotation)', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const sub = await client.webhooks.create({ url: receiver.url, events: ['job.succeeded'], description: 'sdk test' });
    expect(sub.secret).toMatch(/^whsec_/);
    expect((await client.webhooks.list()).map((w) => w.id)).toContain(sub.id);
    expect(await client.webhooks.get(sub.id)).toMatchObject({ id: sub.id, description: 'sdk test', enabled: true });
    expect(await client.webhooks.update(sub.id, { description: 'renamed' })).toMatchObject({ description: 'renamed' });

    const job = await client.jobs.run({ type: 'sleep', payload: { ms: 10 } }, { timeoutMs: 30_000 });
    const delivery = await waitFor('the delivery', () => receiver.received.find((w) => jobIdOf(w.body) === job.id));
    const payload = verifyWebhook(sub.secret, delivery.headers, delivery.body);
    expect(payload).toMatchObject({ type: 'job.succeeded', data: { id: job.id, status: 'succeeded' } });
    expect(() =>
      verifyWebhook(
        'whsec_' + Buffer.alloc(32, 1).toString('base64'),
        delivery.headers as Record<string, string>,
        delivery.body,
      ),
    ).toThrow(WebhookVerificationError);
    expect(() =>
      verifyWebhook(
        sub.secret,
        delivery.headers as Record<string, string>,
        delivery.body.replace('succeeded', 'failed'),
      ),
    ).toThrow(WebhookVerificationError);

    const rotated = await client.webhooks.rotateSecret(sub.id);
    expect(rotated.secret).not.toBe(sub.secret);
    expect(rotated.secrets).toHaveLength(2);
    const next = await client.jobs.run({ type: 'sleep', payload: { ms: 10 } }, { timeoutMs: 30_000 });
    const signedTwice = await waitFor('the next delivery', () =>
      receiver.received.find((w) => jobIdOf(w.body) === next.id),
    );
    expect(verifyWebhook(rotated.secret, signedTwice.headers as Record<string, string>, signedTwice.body).data.id).toBe(
      next.id,
    );
    expect(verifyWebhook(sub.secret, signedTwice.headers as Record<string, string>, signedTwice.body).data.id).toBe(
      next.id,
    );

    const page = await waitFor('both deliveries delivered', async () => {
      const p = await client.webhooks.deliveries(sub.id, { state: 'delivered' });
      return p.items.length === 2 ? p : undefined;
    });
    expect(page.items.map((d) => d.jobId).sort()).toEqual([job.id, next.id].sort());
    expect((await client.jobs.deliveries(job.id)).items.map((d) => d.id)).toContain(delivery.headers['webhook-id']);
    const paged = [];
    for await (const p of client.webhooks.deliveryPages(sub.id, { limit: 1 })) paged.push(...p.items);
    expect(paged).toHaveLength(2);

    await client.webhooks.delete(sub.id);
    await expect(client.webhooks.get(sub.id)).rejects.toMatchObject({ status: 404 });
  });

  it('replays failed deliveries, one or all since a time', async () => {
    const receiver = await startReceiver(() => ({ status: 500 }));
    receivers.push(receiver);
    const sub = await client.webhooks.create({ url: receiver.url, events: ['job.succeeded'] });
    const since = new Date(Date.now() - 1_000);
    const job = await client.jobs.run({ type: 'sleep', payload: { ms: 10 } }, { timeoutMs: 30_000 });
    const [dead] = await waitFor('the delivery given up', async () => {
      const p = await client.jobs.deliveries(job.id, { state: 'dead' });
      return p.items.length === 1 ? p.items : undefined;
    });
    receiver.answer(() => ({ status: 204 }));
    const replayed = await client.webhooks.replayDelivery(dead!.id);
    expect(replayed).toMatchObject({ id: dead!.id, state: 'pending', replays: 1 });
    await expect(client.webhooks.replayDelivery(dead!.id)).rejects.toMatchObject({ status: 409 });
    await waitFor(
      'the replay delivered',
      async () => (await client.jobs.deliveries(job.id, { state: 'delivered' })).items.length === 1,
    );

    receiver.answer(() => ({ status: 500 }));
    const other = await client.jobs.run({ type: 'sleep', payload: { ms: 10 } }, { timeoutMs: 30_000 });
    await waitFor(
      'the second delivery given up',
      async () => (await client.jobs.deliveries(other.id, { state: 'dead' })).items.length === 1,
    );
    receiver.answer(() => ({ status: 204 }));
    expect(await client.webhooks.replay(sub.id, since)).toBe(1);
    await waitFor(
      'the bulk replay delivered',
      async () => (await client.jobs.deliveries(other.id, { state: 'delivered' })).items.length === 1,
    );
    await client.webhooks.delete(sub.id);
  });

  it('reads the tenant signing secret once, and rotates it', async () => {
    const first = await client.webhooks.signingSecret();
    expect(first.secret).toMatch(/^whsec_/);
    expect((await client.webhooks.signingSecret()).secret).toBeUndefined();
    const rotated = await client.webhooks.rotateSigningSecret();
    expect(rotated.secret).not.toBe(first.secret);
  });

  it('operator calls: dead letters, redrive (once), pause and resume a job type', async () => {
    const failed = await client.jobs.run(
      { type: 'fail', payload: { message: 'no luck' }, options: { maxAttempts: 1 } },
      { timeoutMs: 30_000 },
    );
    expect(failed.status).toBe('failed');
    const letter = await waitFor('the dead letter', () => client.admin.deadLetter(failed.id).catch(() => undefined));
    expect(letter).toMatchObject({ jobId: failed.id, tenant: 'acme', type: 'fail', redrivable: true });
    expect((await client.admin.deadLetters({ tenant: 'acme', type: 'fail' })).map((l) => l.jobId)).toContain(failed.id);

    const redriven = await client.admin.redrive(failed.id);
    expect(redriven).toMatchObject({ outcome: 'redriven', jobId: failed.id });
    expect((await client.admin.redrive(failed.id)).newJobId).toBe(redriven.newJobId);
    const many = await client.admin.redriveMany([failed.id, '01JZZZZZZZZZZZZZZZZZZZZZZZ']);
    expect(many.map((r) => r.outcome)).toEqual(['already-redriven', 'not-found']);
    expect((await client.jobs.get(redriven.newJobId)).redriveOf).toBe(failed.id);

    expect(await client.admin.pause('cpu.hash', 'maintenance')).toMatchObject({
      type: 'cpu.hash',
      paused: true,
      reason: 'maintenance',
    });
    expect((await client.admin.jobTypes()).find((t) => t.type === 'cpu.hash')).toMatchObject({ paused: true });
    expect(await client.admin.resume('cpu.hash')).toMatchObject({ paused: false });
    await expect(client.admin.pause('no.such.type')).rejects.toMatchObject({ status: 404 });
  });

  it('every answer the client got matched the OpenAPI document', () => {
    expect(api.violations).toEqual([]);
  });
});
