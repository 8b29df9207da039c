import { describe, expect, it } from 'vitest';
import type { DeliveryState } from '@longhaul/webhooks';
import { deliveryPage, requeued, type DeliveryRecord } from './webhook-deliveries';

const at = (ms: number) => new Date(Date.UTC(2030, 0, 1) + ms);
function delivery(id: string, ms: number, state: DeliveryState = 'delivered'): DeliveryRecord {
  return {
    _id: id,
    tenant: 'acme',
    subscriptionId: 'wh_1',
    ownSecret: false,
    jobId: 'J',
    eventType: 'job.succeeded',
    sequence: 1,
    url: 'https://hooks.example.com/',
    endpoint: 'https://hooks.example.com',
    partition: 0,
    dueMinute: null,
    requeued: false,
    expiresHour: null,
    state,
    attempts: 1,
    nextAttemptAt: null,
    log: [],
    eventAt: at(ms),
    createdAt: at(ms),
    updatedAt: at(ms),
    finishedAt: at(ms),
    replays: 0,
    expiresAt: at(ms + 1_000_000),
  };
}
const ids = (p: { items: DeliveryRecord[] }) => p.items.map((d) => d._id);

describe('delivery pages', () => {
  const docs = [
    delivery('a', 1),
    delivery('b', 2, 'dead'),
    delivery('c', 3),
    delivery('d', 4, 'dead'),
    delivery('e', 5),
  ];

  it('lists newest first and pages by time until nothing is left', () => {
    const first = deliveryPage(docs, { limit: 2 });
    expect(ids(first)).toEqual(['e', 'd']);
    expect(first.next).toEqual(at(4));
    const second = deliveryPage(docs, { limit: 2, before: first.next! });
    expect(ids(second)).toEqual(['c', 'b']);
    const third = deliveryPage(docs, { limit: 2, before: second.next! });
    expect(ids(third)).toEqual(['a']);
    expect(third.next).toBeNull();
  });

  it('filters by state', () => {
    expect(ids(deliveryPage(docs, { limit: 10, state: 'dead' }))).toEqual(['d', 'b']);
  });

  it('never ends a page inside a run of equal times, so the time cursor skips nothing', () => {
    const tied = [delivery('a', 1), delivery('b', 2), delivery('c', 2), delivery('d', 2), delivery('e', 3)];
    const first = deliveryPage(tied, { limit: 2 });
    expect(ids(first)).toEqual(['e']);
    const second = deliveryPage(tied, { limit: 2, before: first.next! });
    // The run of three alone fills the page: it is taken whole.
    expect(ids(second)).toEqual(['d', 'c', 'b']);
    expect(ids(deliveryPage(tied, { limit: 2, before: second.next! }))).toEqual(['a']);
  });

  it('requeues a delivery as due now, counting the replay', () => {
    const now = at(100);
    expect(requeued(delivery('x', 1, 'dead'), now)).toMatchObject({
      state: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      finishedAt: null,
      updatedAt: now,
      replays: 1,
    });
  });
});
