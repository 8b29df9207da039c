import type { DeliveryResult } from '@longhaul/outbound';
import { createMetrics } from '@longhaul/telemetry';
import { generateSecret, verifyWebhook, type SubscriptionDocument } from '@longhaul/webhooks';
import { describe, expect, it } from 'vitest';
import { createNotifierMetrics } from '../metrics';
import type { SubscriptionDirectory } from '../subscriptions';
import { attemptDelivery, type AttemptDeps } from './attempt';
import type { DeliveryUpdate, PendingDelivery } from './delivery-store';
import { parseSchedule } from './schedule';

const secret = generateSecret();
const NOW = Date.parse('2026-11-29T10:00:00Z');

function setup(opts: { results: Partial<DeliveryResult>[]; subscription?: Partial<SubscriptionDocument> | null }) {
  const updates: DeliveryUpdate[] = [];
  const health: string[] = [];
  const sent: { url: string; headers: Record<string, string>; body: string }[] = [];
  const letters: number[] = [];
  const subscription =
    opts.subscription === null
      ? null
      : ({ _id: 'wh_1', url: 'https://new.example/hook', enabled: true, ...opts.subscription } as SubscriptionDocument);
  const directory = {
    get: () => subscription,
    isJobGone: () => false,
    secretsFor: () => Promise.resolve([secret]),
  } as unknown as SubscriptionDirectory;
  const record = (what: string) => (id: string) => {
    health.push(`${what} ${id}`);
    return Promise.resolve();
  };
  const deps: AttemptDeps = {
    directory,
    health: { succeeded: record('ok'), failed: record('failed'), gone: record('gone') },
    write: (u: DeliveryUpdate) => {
      updates.push(u);
      return Promise.resolve();
    },
    schedule: parseSchedule('0, 10s, 1m'),
    send: (url, request) => {
      sent.push({ url, ...request });
      const r = opts.results[sent.length - 1] ?? {};
      return Promise.resolve({
        outcome: 'delivered',
        status: 200,
        latencyMs: 12,
        error: null,
        responseSnippet: 'ok',
        retryAfterMs: null,
        ...r,
      });
    },
    deadLetter: (_d, attempts) => {
      letters.push(attempts);
      return Promise.resolve();
    },
    metrics: createNotifierMetrics(createMetrics({ service: 'test' })),
    logger: { warn: () => undefined } as never,
    retentionMs: 3_600_000,
    now: () => NOW,
  };
  const d: PendingDelivery = {
    _id: 'msg_abc',
    tenant: 'acme',
    subscriptionId: 'wh_1',
    ownSecret: false,
    jobId: 'job_1',
    eventType: 'job.succeeded',
    url: 'https://old.example/hook',
    endpoint: 'https://old.example',
    body: '{"type":"job.succeeded"}',
    partition: 0,
    attempts: 0,
    nextAttemptAt: new Date(NOW),
    eventAt: new Date(NOW - 50),
    replays: 0,
  };
  return { deps, d, updates, health, sent, letters };
}

describe('one delivery attempt', () => {
  it("signs with the subscription's secrets, sends to its current URL, and records a success", async () => {
    const { deps, d, updates, health, sent } = setup({ results: [{}] });
    expect(await attemptDelivery(d, deps)).toEqual({ again: false });
    expect(sent[0]!.url).toBe('https://new.example/hook');
    expect(() => verifyWebhook(sent[0]!.headers, sent[0]!.body, [secret], { now: new Date(NOW) })).not.toThrow();
    expect(sent[0]!.headers['webhook-id']).toBe('msg_abc');
    expect(updates[0]).toMatchObject({
      id: 'msg_abc',
      set: { state: 'delivered', attempts: 1, finishedAt: new Date(NOW), expiresAt: new Date(NOW + 3_600_000) },
      attempt: { status: 200, outcome: 'delivered', response: 'ok' },
    });
    expect(health).toEqual(['ok wh_1']);
  });

  it('schedules a retry, honouring Retry-After, and dead-letters after the last attempt', async () => {
    const { deps, d, updates, letters } = setup({
      results: [
        { outcome: 'retry', status: 503, retryAfterMs: 120_000 },
        { outcome: 'retry', status: 500 },
        { outcome: 'retry', status: null, error: 'timed out' },
      ],
    });
    const first = await attemptDelivery(d, deps);
    expect(first).toEqual({ again: true, dueAt: NOW + 120_000 });
    expect(updates[0]!.set).toMatchObject({ state: 'pending', attempts: 1, nextAttemptAt: new Date(NOW + 120_000) });
    const second = await attemptDelivery(d, deps);
    expect(second.again).toBe(true);
    const third = await attemptDelivery(d, deps);
    expect(third).toEqual({ again: false });
    expect(letters).toEqual([3]);
    expect(updates[2]!.set).toMatchObject({ state: 'dead', attempts: 3 });
  });

  it('disables on 410 and fails for good on other 4xx and 3xx', async () => {
    const gone = setup({ results: [{ outcome: 'gone', status: 410 }] });
    await attemptDelivery(gone.d, gone.deps);
    expect(gone.updates[0]!.set.state).toBe('failed');
    expect(gone.health).toEqual(['gone wh_1']);
    const redirect = setup({ results: [{ outcome: 'failed', status: 302 }] });
    expect(await attemptDelivery(redirect.d, redirect.deps)).toEqual({ again: false });
    expect(redirect.updates[0]!.set.state).toBe('failed');
    expect(redirect.health).toEqual(['failed wh_1']);
  });

  it('skips, without sending, a delivery whose subscription was disabled or deleted', async () => {
    for (const subscription of [{ enabled: false }, null]) {
      const { deps, d, updates, sent } = setup({ results: [], subscription });
      await attemptDelivery(d, deps);
      expect(sent).toHaveLength(0);
      expect(updates[0]!.set.state).toBe('skipped');
    }
  });
});
