import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSecretBox,
  JOB_SUBSCRIPTION,
  signingSecrets,
  type DeliveryDocument,
  type DeliveryState,
  type SigningSecretDocument,
  type SubscriptionDocument,
  type WebhookChangesDocument,
} from '@longhaul/webhooks';
import { startIngress, type IngressUnderTest } from '../helpers/ingress';
import { serviceEnv } from '../helpers/service-process';
import { tenants } from '../helpers/tenants';

const acme = tenants.acme.key;
const globex = tenants.globex.key;
const OVERLAP_SECONDS = 3_600;
// Nothing resolves on a test machine, so accepted URLs are public IP literals or the one local
// address the ingress is told to allow.
const PUBLIC_URL = 'https://93.184.215.14/hooks/longhaul';
const box = createSecretBox(
  Buffer.from(serviceEnv({ prefix: 'x', database: 'x', port: 1 }).LONGHAUL_SECRETS_KEY, 'base64'),
);

interface WebhookView {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: string | null;
  failingSince: string | null;
  createdAt: string;
  secrets: { createdAt: string; expiresAt: string | null }[];
  secret?: string;
}
interface Problem {
  type: string;
  errors?: { pointer: string; message: string }[];
}
interface DeliveryView {
  id: string;
  subscriptionId: string;
  state: string;
  attempts: number;
  replays: number;
  nextAttemptAt: string | null;
  finishedAt: string | null;
  attemptLog: { status: number | null; outcome: string }[];
}

describe('the webhooks API (ingress against the real stack)', () => {
  let api: IngressUnderTest;
  /** Every secret the API showed: none may ever appear again, nor in the process output. */
  const shown: string[] = [];

  beforeAll(async () => {
    api = await startIngress({
      LONGHAUL_WEBHOOK_ALLOW_HTTP: 'true',
      LONGHAUL_WEBHOOK_ALLOW_CIDRS: '127.0.0.2/32',
      LONGHAUL_WEBHOOK_SECRET_OVERLAP_SECONDS: String(OVERLAP_SECONDS),
    });
  }, 90_000);
  afterAll(() => api?.stop());

  const subscriptions = () => api.db.collection<SubscriptionDocument>('webhook_subscriptions');
  const deliveries = () => api.db.collection<DeliveryDocument>('webhook_deliveries');
  const marker = async () =>
    (await api.db.collection<WebhookChangesDocument>('webhook_changes').findOne({ _id: 'subscriptions' }))?.version ??
    0;
  const create = async (body: unknown, key: string = acme) => {
    const res = await api.call<WebhookView>('POST', '/v1/webhooks', { key, body });
    if (res.body.secret) shown.push(res.body.secret);
    return res;
  };
  const created = async (body: Record<string, unknown> = {}, key: string = acme) => {
    const res = await create({ url: PUBLIC_URL, ...body }, key);
    expect(res.status, res.text).toBe(201);
    return res.body;
  };

  it('creates a subscription, showing its secret once and storing it only sealed', async () => {
    const before = await marker();
    const res = await create({ url: PUBLIC_URL, events: ['job.succeeded', 'job.failed'], description: 'billing' });
    expect(res.status, res.text).toBe(201);
    const view = res.body;
    expect(view.id).toMatch(/^wh_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(res.headers.get('location')).toBe(`/v1/webhooks/${view.id}`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(view).toMatchObject({
      url: PUBLIC_URL,
      events: ['job.succeeded', 'job.failed'],
      description: 'billing',
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      failingSince: null,
      lastDeliveredAt: null,
      secrets: [{ createdAt: view.createdAt, expiresAt: null }],
    });
    const secret = view.secret!;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);

    const got = await api.call<WebhookView>('GET', `/v1/webhooks/${view.id}`, { key: acme });
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ ...view, secret: undefined });
    for (const text of [got.text, (await api.call('GET', '/v1/webhooks', { key: acme })).text]) {
      expect(text).not.toContain('whsec_');
      expect(text).not.toContain('sealed');
    }

    const stored = (await subscriptions().findOne({ _id: view.id }))!;
    expect(stored).toMatchObject({ tenant: 'acme', enabled: true, disabledReason: null });
    expect(JSON.stringify(stored)).not.toContain(secret.slice(6));
    expect(stored.secrets).toHaveLength(1);
    expect(stored.secrets[0]!.expiresAt).toBeNull();
    expect(stored.secrets[0]!.sealed).toMatch(/^v1\./);
    expect(box.open(stored.secrets[0]!.sealed)).toBe(secret);
    expect(await marker()).toBeGreaterThan(before);
  });

  it('lists newest first, changes, disables and re-enables, and deletes', async () => {
    const first = await created({ description: 'first' });
    const second = await created({ description: 'second', enabled: false });
    expect(second).toMatchObject({ enabled: false, disabledReason: 'manual' });
    const list = await api.call<{ items: WebhookView[] }>('GET', '/v1/webhooks', { key: acme });
    const ids = list.body.items.map((s) => s.id);
    expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(first.id));
    expect(list.body.items.every((s) => s.secret === undefined)).toBe(true);

    const patch = (body: unknown) => api.call<WebhookView>('PATCH', `/v1/webhooks/${first.id}`, { key: acme, body });
    const changed = await patch({ url: 'http://127.0.0.2:9999/hook', events: ['job.progress'], description: null });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({
      url: 'http://127.0.0.2:9999/hook',
      events: ['job.progress'],
      description: null,
    });
    expect(changed.text).not.toContain('whsec_');

    const version = await marker();
    const disabled = await patch({ enabled: false });
    expect(disabled.body).toMatchObject({ enabled: false, disabledReason: 'manual' });
    expect(disabled.body.disabledAt).not.toBeNull();
    expect(await marker()).toBeGreaterThan(version);
    // As the notifier leaves it after failures: enabling starts afresh.
    await subscriptions().updateOne(
      { _id: first.id },
      { $set: { disabledReason: 'failing', failingSince: new Date(Date.now() - 60_000) } },
    );
    const enabled = await patch({ enabled: true });
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null, failingSince: null });

    expect((await api.call('DELETE', `/v1/webhooks/${second.id}`, { key: acme })).status).toBe(204);
    expect((await api.call('GET', `/v1/webhooks/${second.id}`, { key: acme })).status).toBe(404);
    expect((await api.call('DELETE', `/v1/webhooks/${second.id}`, { key: acme })).status).toBe(404);
    expect(await subscriptions().countDocuments({ _id: second.id })).toBe(0);
  });

  it('rotates a secret: the new one shown once, the old one signing beside it for the overlap', async () => {
    const sub = await created();
    const res = await api.call<WebhookView>('POST', `/v1/webhooks/${sub.id}/rotate-secret`, { key: acme });
    expect(res.status, res.text).toBe(200);
    const rotated = res.body.secret!;
    shown.push(rotated);
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(sub.secret);
    expect(res.body.secrets).toHaveLength(2);
    expect(res.body.secrets[0]!.expiresAt).toBeNull();
    const until = Date.parse(res.body.secrets[1]!.expiresAt!);
    expect(Math.abs(until - (Date.now() + OVERLAP_SECONDS * 1000))).toBeLessThan(60_000);

    const stored = (await subscriptions().findOne({ _id: sub.id }))!;
    expect(signingSecrets(stored.secrets, box)).toEqual([rotated, sub.secret]);
    expect(JSON.stringify(stored)).not.toContain(rotated.slice(6));
    const got = await api.call('GET', `/v1/webhooks/${sub.id}`, { key: acme });
    expect(got.text).not.toContain('whsec_');
  });

  it('shows the tenant signing secret once, even to five first callers at the same moment', async () => {
    const before = await marker();
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map(() =>
        api.call<{ secret?: string; createdAt: string; secrets: unknown[] }>('GET', '/v1/webhook-signing-secret', {
          key: globex,
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    const secrets = answers.map((a) => a.body.secret).filter((s) => s !== undefined);
    expect(secrets).toHaveLength(1);
    const first = secrets[0]!;
    shown.push(first);
    expect(first).toMatch(/^whsec_/);
    const signing = api.db.collection<SigningSecretDocument>('webhook_signing_secrets');
    const stored = (await signing.findOne({ _id: 'globex' }))!;
    expect(stored.revealedAt).not.toBeNull();
    expect(signingSecrets(stored.secrets, box)).toEqual([first]);
    expect(await marker()).toBeGreaterThan(before);

    const again = await api.call<{ secret?: string }>('GET', '/v1/webhook-signing-secret', { key: globex });
    expect(again.body.secret).toBeUndefined();
    expect(again.text).not.toContain('whsec_');
    expect(again.body).toMatchObject({ rotatedAt: null, secrets: [{ expiresAt: null }] });

    const rotate = await api.call<{ secret: string; rotatedAt: string; secrets: unknown[] }>(
      'POST',
      '/v1/webhook-signing-secret/rotate',
      { key: globex },
    );
    expect(rotate.status, rotate.text).toBe(200);
    shown.push(rotate.body.secret);
    expect(rotate.body.secret).not.toBe(first);
    expect(rotate.body.rotatedAt).not.toBeNull();
    expect(rotate.body.secrets).toHaveLength(2);
    const rotated = (await signing.findOne({ _id: 'globex' }))!;
    expect(signingSecrets(rotated.secrets, box)).toEqual([rotate.body.secret, first]);
    const after = await api.call<{ secret?: string }>('GET', '/v1/webhook-signing-secret', { key: globex });
    expect(after.body.secret).toBeUndefined();
    // Another tenant has its own.
    const other = await api.call<{ secret?: string }>('GET', '/v1/webhook-signing-secret', { key: acme });
    expect(other.body.secret).toMatch(/^whsec_/);
    shown.push(other.body.secret!);
    expect(other.body.secret).not.toBe(first);
  });

  it('refuses webhook URLs that reach private or local addresses, for subscriptions and jobs alike', async () => {
    const forbidden = [
      'http://127.0.0.1:8080/hook',
      'http://10.0.0.1/',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]:8080/hook',
      'http://[::ffff:127.0.0.1]:8080/hook',
      // A host name resolving to loopback (127.0.0.1, ::1): only 127.0.0.2 is allowed here.
      'http://localhost:8080/hook',
    ];
    const count = await subscriptions().countDocuments({});
    for (const url of forbidden) {
      const sub = await api.call<Problem>('POST', '/v1/webhooks', { key: acme, body: { url } });
      expect(sub.status, `${url}: ${sub.text}`).toBe(422);
      expect(sub.body.errors?.map((e) => e.pointer)).toEqual(['/url']);
      const job = await api.call<Problem>('POST', '/v1/jobs', {
        key: acme,
        body: { type: 'sleep', payload: { ms: 1 }, webhook: { url } },
      });
      expect(job.status, `${url}: ${job.text}`).toBe(422);
      expect(job.body.errors?.map((e) => e.pointer)).toEqual(['/webhook/url']);
    }
    const sub = await created();
    const patched = await api.call<Problem>('PATCH', `/v1/webhooks/${sub.id}`, {
      key: acme,
      body: { url: 'http://localhost:8080/hook' },
    });
    expect(patched.status).toBe(422);
    expect(patched.body.errors?.map((e) => e.pointer)).toEqual(['/url']);
    expect((await subscriptions().findOne({ _id: sub.id }))!.url).toBe(PUBLIC_URL);
    expect(await subscriptions().countDocuments({})).toBe(count + 1);

    const allowed = 'http://127.0.0.2:9999/hook';
    expect((await created({ url: allowed })).url).toBe(allowed);
    // A name that does not resolve (yet) is let through: the notifier checks what it connects to.
    expect((await created({ url: 'https://hooks.invalid/hook' })).url).toBe('https://hooks.invalid/hook');
    const job = await api.call('POST', '/v1/jobs', {
      key: acme,
      body: { type: 'sleep', payload: { ms: 1 }, webhook: { url: allowed } },
    });
    expect(job.status, job.text).toBe(202);
  });

  it('answers bad input with a problem and changes nothing', async () => {
    const sub = await created();
    const count = await subscriptions().countDocuments({});
    const version = await marker();
    const cases: { method: string; path: string; body?: unknown; raw?: string; status: number; pointer?: string }[] = [
      {
        method: 'POST',
        path: '/v1/webhooks',
        body: { url: PUBLIC_URL, secret: 'mine' },
        status: 422,
        pointer: '/secret',
      },
      {
        method: 'POST',
        path: '/v1/webhooks',
        body: { url: PUBLIC_URL, events: ['job.hacked'] },
        status: 422,
        pointer: '/events/0',
      },
      {
        method: 'POST',
        path: '/v1/webhooks',
        body: { url: PUBLIC_URL, events: 'job.failed' },
        status: 422,
        pointer: '/events',
      },
      {
        method: 'POST',
        path: '/v1/webhooks',
        body: { url: PUBLIC_URL, description: 'x'.repeat(501) },
        status: 422,
        pointer: '/description',
      },
      { method: 'POST', path: '/v1/webhooks', body: { events: [] }, status: 422, pointer: '/url' },
      { method: 'POST', path: '/v1/webhooks', body: { url: 'ftp://93.184.215.14/' }, status: 422, pointer: '/url' },
      { method: 'POST', path: '/v1/webhooks', raw: '{"url":', status: 400 },
      { method: 'PATCH', path: `/v1/webhooks/${sub.id}`, body: {}, status: 422 },
      { method: 'PATCH', path: `/v1/webhooks/${sub.id}`, body: { enabled: 'yes' }, status: 422, pointer: '/enabled' },
      { method: 'PATCH', path: `/v1/webhooks/${sub.id}`, body: { id: 'wh_x' }, status: 422, pointer: '/id' },
      {
        method: 'GET',
        path: `/v1/webhooks/${sub.id}/deliveries?before=yesterday`,
        status: 400,
        pointer: '/query/before',
      },
      { method: 'GET', path: `/v1/webhooks/${sub.id}/deliveries?limit=0`, status: 400, pointer: '/query/limit' },
      { method: 'GET', path: `/v1/webhooks/${sub.id}/deliveries?state=lost`, status: 400, pointer: '/query/state' },
      { method: 'GET', path: `/v1/webhooks/${sub.id}/deliveries?cursor=abc`, status: 400, pointer: '/query/cursor' },
      { method: 'POST', path: `/v1/webhooks/${sub.id}/replay`, body: {}, status: 422, pointer: '/since' },
      {
        method: 'POST',
        path: `/v1/webhooks/${sub.id}/replay`,
        body: { since: 'last week' },
        status: 422,
        pointer: '/since',
      },
      {
        method: 'POST',
        path: `/v1/webhooks/${sub.id}/replay`,
        body: { since: new Date(Date.now() + 3_600_000).toISOString() },
        status: 422,
        pointer: '/since',
      },
      { method: 'GET', path: '/v1/webhooks/wh_not-an-id', status: 404 },
      { method: 'POST', path: '/v1/webhook-deliveries/msg_unknown/replay', status: 404 },
      { method: 'PUT', path: `/v1/webhooks/${sub.id}`, body: {}, status: 405 },
    ];
    for (const c of cases) {
      const res = await api.call<Problem>(c.method, c.path, {
        key: acme,
        ...(c.body !== undefined ? { body: c.body } : {}),
        ...(c.raw !== undefined ? { raw: c.raw, headers: { 'content-type': 'application/json' } } : {}),
      });
      expect(res.status, `${c.method} ${c.path} ${JSON.stringify(c.body)}: ${res.text}`).toBe(c.status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      if (c.pointer) expect(res.body.errors?.map((e) => e.pointer)).toContain(c.pointer);
    }
    expect(await subscriptions().countDocuments({})).toBe(count);
    expect(await marker()).toBe(version);
    const stored = (await subscriptions().findOne({ _id: sub.id }))!;
    expect(stored.updatedAt.toISOString()).toBe(sub.createdAt);
  });

  describe('deliveries', () => {
    let sub: WebhookView;
    let jobId: string;
    const base = Date.now() - 10 * 60_000;
    const at = (minutes: number) => new Date(base + minutes * 60_000);
    const record = (n: number, state: DeliveryState, subscriptionId: string, createdAt: Date): DeliveryDocument => ({
      _id: `msg_test${n.toString().padStart(4, '0')}${subscriptionId.slice(-6)}`,
      tenant: 'acme',
      subscriptionId,
      ownSecret: false,
      jobId,
      eventType: state === 'delivered' ? 'job.succeeded' : 'job.failed',
      sequence: n,
      url: PUBLIC_URL,
      endpoint: new URL(PUBLIC_URL).origin,
      body: '{"type":"job.failed"}',
      partition: 0,
      dueMinute: null,
      requeued: false,
      expiresHour: null,
      state,
      attempts: state === 'pending' ? 1 : 8,
      nextAttemptAt: state === 'pending' ? new Date(Date.now() + 60_000) : null,
      log: [
        { at: createdAt, outcome: 'retry', status: 500, latencyMs: 12, error: 'HTTP 500', response: 'oops' },
        ...(state === 'delivered'
          ? [{ at: createdAt, outcome: 'delivered' as const, status: 200, latencyMs: 8, error: null, response: '' }]
          : []),
      ],
      eventAt: createdAt,
      createdAt,
      updatedAt: createdAt,
      finishedAt: state === 'pending' ? null : createdAt,
      replays: 0,
      expiresAt: new Date(Date.now() + 86_400_000),
    });

    beforeAll(async () => {
      sub = await created();
      const job = await api.call<{ id: string }>('POST', '/v1/jobs', {
        key: acme,
        body: { type: 'sleep', payload: { ms: 1 } },
      });
      expect(job.status).toBe(202);
      jobId = job.body.id;
      await deliveries().insertMany([
        record(1, 'delivered', sub.id, at(1)),
        record(2, 'dead', sub.id, at(2)),
        record(3, 'failed', sub.id, at(3)),
        record(4, 'pending', sub.id, at(4)),
        record(5, 'dead', sub.id, at(5)),
        record(6, 'failed', JOB_SUBSCRIPTION, at(6)),
      ]);
    });

    it('lists a subscription’s deliveries newest first, by page and by state, with every attempt', async () => {
      const path = `/v1/webhooks/${sub.id}/deliveries`;
      const all = await api.call<{ items: DeliveryView[]; next: string | null }>('GET', path, { key: acme });
      expect(all.status, all.text).toBe(200);
      expect(all.body.items.map((d) => d.state)).toEqual(['dead', 'pending', 'failed', 'dead', 'delivered']);
      expect(all.body.next).toBeNull();
      expect(all.body.items[4]!.attemptLog.map((a) => a.status)).toEqual([500, 200]);
      expect(all.text).not.toContain('"body"');

      const first = await api.call<{ items: DeliveryView[]; next: string }>('GET', `${path}?limit=2`, { key: acme });
      expect(first.body.items.map((d) => d.state)).toEqual(['dead', 'pending']);
      expect(first.body.next).toBe(at(4).toISOString());
      const second = await api.call<{ items: DeliveryView[]; next: string | null }>(
        'GET',
        `${path}?limit=2&before=${encodeURIComponent(first.body.next)}`,
        { key: acme },
      );
      expect(second.body.items.map((d) => d.state)).toEqual(['failed', 'dead']);
      const dead = await api.call<{ items: DeliveryView[] }>('GET', `${path}?state=dead`, { key: acme });
      expect(dead.body.items).toHaveLength(2);
    });

    it('lists a job’s deliveries: its own webhook’s and every subscription’s', async () => {
      const res = await api.call<{ items: DeliveryView[] }>('GET', `/v1/jobs/${jobId}/deliveries`, { key: acme });
      expect(res.status, res.text).toBe(200);
      expect(res.body.items).toHaveLength(6);
      expect(res.body.items[0]!.subscriptionId).toBe(JOB_SUBSCRIPTION);
      expect((await api.call('GET', `/v1/jobs/01KA0000000000000000000000/deliveries`, { key: acme })).status).toBe(404);
    });

    it('replays one delivery, and refuses one that is already pending', async () => {
      const id = record(2, 'dead', sub.id, at(2))._id;
      const res = await api.call<DeliveryView>('POST', `/v1/webhook-deliveries/${id}/replay`, { key: acme });
      expect(res.status, res.text).toBe(202);
      expect(res.body).toMatchObject({ id, state: 'pending', attempts: 0, replays: 1, finishedAt: null });
      const stored = (await deliveries().findOne({ _id: id }))!;
      expect(stored).toMatchObject({ state: 'pending', attempts: 0, replays: 1, finishedAt: null, partition: 0 });
      expect(stored.nextAttemptAt!.getTime()).toBeLessThanOrEqual(Date.now());
      expect(stored.log).toHaveLength(1);
      // What the notifier owning partition 0 polls for (no notifier runs in this test).
      expect(await api.db.collection('webhook_replays').findOne({ _id: id as never })).toMatchObject({ partition: 0 });
      const again = await api.call<Problem>('POST', `/v1/webhook-deliveries/${id}/replay`, { key: acme });
      expect(again.status).toBe(409);
      expect(again.body.type).toBe('/problems/delivery-pending');
    });

    it('replays every failed or dead delivery since a time', async () => {
      const res = await api.call<{ replayed: number }>('POST', `/v1/webhooks/${sub.id}/replay`, {
        key: acme,
        body: { since: at(3).toISOString() },
      });
      expect(res.status, res.text).toBe(202);
      // Since minute 3: the failed one (3) and the dead one (5); not the pending (4) or other subscriptions'.
      expect(res.body.replayed).toBe(2);
      const states = await deliveries()
        .find({ subscriptionId: sub.id })
        .toArray()
        .then((docs) => Object.fromEntries(docs.map((d) => [d.sequence, [d.state, d.replays]])));
      expect(states).toEqual({
        1: ['delivered', 0],
        2: ['pending', 1],
        3: ['pending', 1],
        4: ['pending', 0],
        5: ['pending', 1],
      });
      expect((await deliveries().findOne({ subscriptionId: JOB_SUBSCRIPTION, jobId }))!.state).toBe('failed');
    });

    it('keeps tenants apart: another tenant’s subscription, job and deliveries are not found', async () => {
      const path = `/v1/webhooks/${sub.id}`;
      const calls: [string, string, unknown?][] = [
        ['GET', path],
        ['PATCH', path, { enabled: false }],
        ['DELETE', path],
        ['POST', `${path}/rotate-secret`],
        ['GET', `${path}/deliveries`],
        ['POST', `${path}/replay`, { since: at(0).toISOString() }],
        ['GET', `/v1/jobs/${jobId}/deliveries`],
        ['POST', `/v1/webhook-deliveries/${record(1, 'delivered', sub.id, at(1))._id}/replay`],
      ];
      const before = JSON.stringify(await subscriptions().findOne({ _id: sub.id }));
      const deliveriesBefore = JSON.stringify(await deliveries().find({ tenant: 'acme' }).toArray());
      for (const [method, p, body] of calls) {
        const res = await api.call<Problem>(method, p, { key: globex, ...(body ? { body } : {}) });
        expect(res.status, `${method} ${p}`).toBe(404);
        expect(res.body.type).toBe('/problems/not-found');
      }
      expect(JSON.stringify(await subscriptions().findOne({ _id: sub.id }))).toBe(before);
      expect(JSON.stringify(await deliveries().find({ tenant: 'acme' }).toArray())).toBe(deliveriesBefore);
      const theirs = await api.call<{ items: WebhookView[] }>('GET', '/v1/webhooks', { key: globex });
      expect(theirs.body.items.map((s) => s.id)).not.toContain(sub.id);
    });
  });

  it('bounds the subscriptions of a tenant', async () => {
    const have = await subscriptions().countDocuments({ tenant: 'globex' });
    for (let i = have; i < 100; i++) await created({ description: `n${i}` }, globex);
    const over = await create({ url: PUBLIC_URL }, globex);
    expect(over.status).toBe(409);
    expect((over.body as unknown as Problem).type).toBe('/problems/too-many-subscriptions');
    expect(await subscriptions().countDocuments({ tenant: 'globex' })).toBe(100);
    // Another tenant is not affected.
    expect((await create({ url: PUBLIC_URL })).status).toBe(201);
  });

  it('never lets a secret reach the process output, and answers only as the OpenAPI document says', () => {
    expect(shown.length).toBeGreaterThan(100);
    const output = api.process.output();
    expect(output.length).toBeGreaterThan(0);
    for (const secret of shown) expect(output).not.toContain(secret.slice(6));
    expect(output).not.toContain('whsec_');
    expect(api.violations).toEqual([]);
  });
});
