import Router from '@koa/router';
import type { Context } from 'koa';
import { readJsonBody } from '../body';
import type { JobReads } from '../job-reads';
import { HttpProblem } from '../problem';
import { requeued, REPLAYABLE_SINCE, type DeliveryRecord, type DeliveryStore } from '../webhook-deliveries';
import { parseDeliveryQuery, parseReplaySince } from '../webhook-input';
import type { SubscriptionStore } from '../webhook-subscriptions';
import { deliveryView } from '../webhook-view';
import { ownSubscription } from './webhooks';
import { tenantOf, type ApiState } from './auth';

export interface DeliveryRoutesDeps {
  readonly deliveries: DeliveryStore;
  readonly subscriptions: SubscriptionStore;
  readonly reads: JobReads;
  readonly maxBodyBytes: number;
}

/** Every delivery and its attempts, per subscription and per job, and replays. */
export function deliveryRoutes(deps: DeliveryRoutesDeps): Router<ApiState> {
  const router = new Router<ApiState>();
  const answer = (ctx: Context, { items, next }: { items: DeliveryRecord[]; next: Date | null }) => {
    ctx.set('Cache-Control', 'private, no-cache');
    ctx.body = { items: items.map(deliveryView), next: next?.toISOString() ?? null };
  };
  router.get('/v1/webhooks/:id/deliveries', async (ctx) => {
    const query = parseDeliveryQuery(ctx.query);
    const sub = await ownSubscription(deps.subscriptions, ctx.params['id'], tenantOf(ctx));
    answer(ctx, await deps.deliveries.page({ subscriptionId: sub._id, tenant: sub.tenant }, query));
  });

  router.get('/v1/jobs/:id/deliveries', async (ctx) => {
    const query = parseDeliveryQuery(ctx.query);
    const tenant = tenantOf(ctx);
    const id = ctx.params['id'] ?? '';
    const page = await deps.deliveries.page({ jobId: id, tenant }, query);
    // Only an empty page needs the job itself: an unknown (or another tenant's) job is a 404.
    if (page.items.length === 0 && !(await deps.reads.find(id, tenant)))
      throw new HttpProblem('notFound', 'no job with that id for this tenant');
    answer(ctx, page);
  });

  router.post('/v1/webhook-deliveries/:deliveryId/replay', async (ctx) => {
    const doc = await deps.deliveries.get(ctx.params['deliveryId'] ?? '', tenantOf(ctx));
    if (!doc) throw new HttpProblem('notFound', 'no webhook delivery with that id for this tenant');
    const pending = () => new HttpProblem('deliveryPending', 'the delivery is already waiting for its next attempt');
    if (doc.state === 'pending') throw pending();
    const now = new Date();
    // Only out of the state it was read in: a racing replay or attempt makes this one a no-op.
    if ((await deps.deliveries.requeue([doc], now)) === 0) throw pending();
    ctx.status = 202;
    ctx.body = deliveryView(requeued(doc, now));
  });

  router.post('/v1/webhooks/:id/replay', async (ctx) => {
    const sub = await ownSubscription(deps.subscriptions, ctx.params['id'], tenantOf(ctx));
    const now = new Date();
    const since = parseReplaySince(await readJsonBody(ctx, deps.maxBodyBytes), now);
    const failed = await deps.deliveries.since(sub._id, sub.tenant, REPLAYABLE_SINCE, since);
    ctx.status = 202;
    ctx.body = { replayed: await deps.deliveries.requeue(failed, now) };
  });

  return router;
}
