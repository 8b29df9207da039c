import { seg, type Transport } from './http';
import type {
  CreateWebhook,
  DeliveryFilter,
  SigningSecret,
  UpdateWebhook,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookWithSecret,
} from './types';

type Opts = { signal?: AbortSignal };

/** Webhook subscriptions, their deliveries and replays, and the tenant signing secret. */
export class WebhooksApi {
  constructor(private readonly transport: Transport) {}

  /** Subscribe a URL; the answer carries its `secret`, shown only here. */
  async create(input: CreateWebhook, opts: Opts = {}): Promise<WebhookWithSecret> {
    return (await this.transport.call<WebhookWithSecret>('POST', '/v1/webhooks', { body: input, ...opts })).body;
  }

  async list(opts: Opts = {}): Promise<Webhook[]> {
    return (await this.transport.call<{ items: Webhook[] }>('GET', '/v1/webhooks', opts)).body.items;
  }

  async get(id: string, opts: Opts = {}): Promise<Webhook> {
    return (await this.transport.call<Webhook>('GET', `/v1/webhooks/${seg(id)}`, opts)).body;
  }

  async update(id: string, change: UpdateWebhook, opts: Opts = {}): Promise<Webhook> {
    return (await this.transport.call<Webhook>('PATCH', `/v1/webhooks/${seg(id)}`, { body: change, ...opts })).body;
  }

  async delete(id: string, opts: Opts = {}): Promise<void> {
    await this.transport.call('DELETE', `/v1/webhooks/${seg(id)}`, opts);
  }

  /** A new secret (shown only here); the previous one keeps signing beside it for the overlap. */
  async rotateSecret(id: string, opts: Opts = {}): Promise<WebhookWithSecret> {
    const path = `/v1/webhooks/${seg(id)}/rotate-secret`;
    return (await this.transport.call<WebhookWithSecret>('POST', path, opts)).body;
  }

  /** One page of the subscription's deliveries, newest first; `next` is the next page's `before`. */
  async deliveries(id: string, filter: DeliveryFilter = {}, opts: Opts = {}): Promise<WebhookDeliveryList> {
    const path = `/v1/webhooks/${seg(id)}/deliveries`;
    return (await this.transport.call<WebhookDeliveryList>('GET', path, { query: { ...filter }, ...opts })).body;
  }

  /** Every page of the subscription's deliveries, as you iterate. */
  async *deliveryPages(id: string, filter: DeliveryFilter = {}, opts: Opts = {}): AsyncGenerator<WebhookDeliveryList> {
    let before = filter.before;
    do {
      const page = await this.deliveries(id, { ...filter, ...(before === undefined ? {} : { before }) }, opts);
      yield page;
      before = page.next ?? undefined;
    } while (before !== undefined);
  }

  /** Queue again every failed or dead delivery of the subscription since a time; how many. */
  async replay(id: string, since: string | Date, opts: Opts = {}): Promise<number> {
    const body = { since: since instanceof Date ? since.toISOString() : since };
    const path = `/v1/webhooks/${seg(id)}/replay`;
    return (await this.transport.call<{ replayed: number }>('POST', path, { body, ...opts })).body.replayed;
  }

  /** Queue one delivery again (same webhook-id and body); 409 when it is already pending. */
  async replayDelivery(deliveryId: string, opts: Opts = {}): Promise<WebhookDelivery> {
    const path = `/v1/webhook-deliveries/${seg(deliveryId)}/replay`;
    return (await this.transport.call<WebhookDelivery>('POST', path, opts)).body;
  }

  /** The tenant signing secret (signs jobs' own webhooks given without one); `secret` the first time only. */
  async signingSecret(opts: Opts = {}): Promise<SigningSecret> {
    return (await this.transport.call<SigningSecret>('GET', '/v1/webhook-signing-secret', opts)).body;
  }

  async rotateSigningSecret(opts: Opts = {}): Promise<SigningSecret & { secret: string }> {
    const path = '/v1/webhook-signing-secret/rotate';
    return (await this.transport.call<SigningSecret & { secret: string }>('POST', path, opts)).body;
  }
}
