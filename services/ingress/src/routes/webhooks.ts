import Router from '@koa/router';
import type { Context } from 'koa';
import type { WebhookEventType } from '@longhaul/contracts';
import { generateSecret, rotateSecrets, type SecretBox, type SubscriptionDocument } from '@longhaul/webhooks';
import { readJsonBody } from '../body';
import { newId } from '../ids';
import { HttpProblem } from '../problem';
import { checkedTarget, type TargetChecks } from '../webhook-target';
import { parseCreateSubscription, parseUpdateSubscription } from '../webhook-input';
import {
  MAX_SUBSCRIPTIONS_PER_TENANT,
  type SubscriptionChange,
  type SubscriptionStore,
} from '../webhook-subscriptions';
import { subscriptionPath, subscriptionView } from '../webhook-view';
import { tenantOf, type ApiState } from './auth';

export interface WebhookRoutesDeps {
  readonly subscriptions: SubscriptionStore;
  readonly targets: TargetChecks;
  readonly box: SecretBox;
  /** How long a rotated-out secret keeps signing. */
  readonly overlapMs: number;
  readonly maxBodyBytes: number;
}

export const subscriptionNotFound = () =>
  new HttpProblem('notFound', 'no webhook subscription with that id for this tenant');

/** The caller's subscription, or 404 (another tenant's is as absent as an unknown one). */
export async function ownSubscription(store: SubscriptionStore, id: string | undefined, tenant: string) {
  const doc = await store.get(id ?? '', tenant);
  if (!doc) throw subscriptionNotFound();
  return doc;
}

/** A response that carries a secret must not be kept by any cache. */
export function noStore(ctx: Context): void {
  ctx.set('Cache-Control', 'no-store');
}

/** Tenant webhook subscriptions: create (the secret shown once), list, read, change, delete, rotate. */
export function webhookRoutes(deps: WebhookRoutesDeps): Router<ApiState> {
  const router = new Router<ApiState>();
  const sealedNow = (secret: string, now: Date) => ({ sealed: deps.box.seal(secret), createdAt: now, expiresAt: null });

  router.post('/v1/webhooks', async (ctx) => {
    const tenant = tenantOf(ctx);
    const fields = parseCreateSubscription(await readJsonBody(ctx, deps.maxBodyBytes));
    const url = await checkedTarget(deps.targets, fields.url, '/url');
    const now = new Date();
    const secret = generateSecret();
    const enabled = fields.enabled ?? true;
    const doc: SubscriptionDocument = {
      _id: `wh_${newId()}`,
      tenant,
      url: url.href,
      events: (fields.events ?? []) as WebhookEventType[],
      description: fields.description ?? null,
      enabled,
      disabledReason: enabled ? null : 'manual',
      disabledAt: enabled ? null : now,
      secrets: [sealedNow(secret, now)],
      failingSince: null,
      lastDeliveredAt: null,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await deps.subscriptions.create(doc))) {
      throw new HttpProblem(
        'tooManySubscriptions',
        `a tenant has at most ${MAX_SUBSCRIPTIONS_PER_TENANT} webhook subscriptions; delete one first`,
      );
    }
    ctx.status = 201;
    ctx.set('Location', subscriptionPath(doc._id));
    noStore(ctx);
    ctx.body = { secret, ...subscriptionView(doc, now) };
  });

  router.get('/v1/webhooks', async (ctx) => {
    const now = new Date();
    const docs = await deps.subscriptions.list(tenantOf(ctx));
    ctx.set('Cache-Control', 'private, no-cache');
    ctx.body = { items: docs.map((d) => subscriptionView(d, now)) };
  });

  router.get('/v1/webhooks/:id', async (ctx) => {
    const doc = await ownSubscription(deps.subscriptions, ctx.params['id'], tenantOf(ctx));
    ctx.set('Cache-Control', 'private, no-cache');
    ctx.body = subscriptionView(doc, new Date());
  });

  router.patch('/v1/webhooks/:id', async (ctx) => {
    const doc = await ownSubscription(deps.subscriptions, ctx.params['id'], tenantOf(ctx));
    const fields = parseUpdateSubscription(await readJsonBody(ctx, deps.maxBodyBytes));
    const now = new Date();
    const change: SubscriptionChange = {};
    if (fields.url !== undefined) change.url = (await checkedTarget(deps.targets, fields.url, '/url')).href;
    if (fields.events !== undefined) change.events = fields.events as WebhookEventType[];
    if (fields.description !== undefined) change.description = fields.description;
    // Re-enabling starts afresh (whatever disabled it); disabling by hand says so.
    if (fields.enabled === true && !doc.enabled) {
      Object.assign(change, { enabled: true, disabledReason: null, disabledAt: null, failingSince: null });
    } else if (fields.enabled === false && doc.enabled) {
      Object.assign(change, { enabled: false, disabledReason: 'manual', disabledAt: now });
    }
    ctx.body = subscriptionView(await deps.subscriptions.update(doc, change, now), now);
  });

  router.delete('/v1/webhooks/:id', async (ctx) => {
    if (!(await deps.subscriptions.remove(ctx.params['id'] ?? '', tenantOf(ctx)))) throw subscriptionNotFound();
    ctx.status = 204;
  });

  router.post('/v1/webhooks/:id/rotate-secret', async (ctx) => {
    const doc = await ownSubscription(deps.subscriptions, ctx.params['id'], tenantOf(ctx));
    const now = new Date();
    const secret = generateSecret();
    const secrets = rotateSecrets(doc.secrets, deps.box.seal(secret), deps.overlapMs, now);
    if (!(await deps.subscriptions.rotate(doc, secrets, now))) {
      throw new HttpProblem('concurrentChange', 'the secret was rotated by another request at the same time; retry');
    }
    noStore(ctx);
    ctx.body = { secret, ...subscriptionView({ ...doc, secrets, updatedAt: now }, now) };
  });

  return router;
}
