import { webhookEventTypes } from '@longhaul/contracts';
import { deliveryStates } from '@longhaul/webhooks';
import { common, dateTime, idParam, json, nullable, problem, ref } from './openapi-parts';
import { MAX_SUBSCRIPTIONS_PER_TENANT, SUBSCRIPTION_ID_PATTERN } from './webhook-subscriptions';
import { createSubscriptionSchema, replaySinceSchema, updateSubscriptionSchema } from './webhook-schemas';

/** The webhooks API: tenant subscriptions, the tenant signing secret, deliveries and replays. */
const noStore = { 'Cache-Control': { description: 'no-store: the body holds a secret.', schema: { type: 'string' } } };
const body = (schema: unknown) => ({ required: true, content: json(schema) });
const bodyProblems = {
  '400': problem('Malformed JSON.'),
  '413': problem('The body is over the limit.'),
  '415': problem('The body is not UTF-8 JSON.'),
};
const urlUnavailable = {
  '503': problem('A dependency is unavailable; nothing was changed.', common['503'].headers),
};
const notFound = problem('No such subscription for this tenant.');
const deliveryQuery = [
  { name: 'state', in: 'query', schema: { enum: [...deliveryStates] } },
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
  {
    name: 'before',
    in: 'query',
    description: 'Only deliveries created before this time: the `next` of the previous page.',
    schema: dateTime,
  },
];
const deliveryList = {
  '200': { description: 'A page of deliveries, newest first.', content: json(ref('WebhookDeliveryList')) },
  '400': problem('A query parameter is not valid.'),
};

const secretValue = {
  type: 'string',
  pattern: '^whsec_[A-Za-z0-9+/]+={0,2}$',
  description: 'The secret (Standard Webhooks: whsec_ + base64). Shown once: keep it now.',
};

function signingSecretSchema(withSecret: boolean) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['createdAt', 'rotatedAt', 'secrets', ...(withSecret ? ['secret'] : [])],
    properties: {
      createdAt: dateTime,
      rotatedAt: { ...nullable(dateTime), description: 'When the current secret replaced the one before.' },
      secrets: ref('SecretInfo'),
      secret: secretValue,
    },
  };
}

export const webhookPaths = {
  '/v1/webhooks': {
    post: {
      operationId: 'createWebhook',
      summary: 'Subscribe an endpoint to the tenant’s job events (the secret is shown in this answer only)',
      requestBody: body(ref('CreateWebhook')),
      responses: {
        '201': {
          description: 'Created.',
          headers: { Location: { schema: { type: 'string' } }, ...noStore },
          content: json(ref('WebhookWithSecret')),
        },
        ...bodyProblems,
        '409': problem(`The tenant already has ${MAX_SUBSCRIPTIONS_PER_TENANT} subscriptions.`),
        '422': problem('A field is not valid, or the URL is not one webhooks may reach.'),
        ...common,
        ...urlUnavailable,
      },
    },
    get: {
      operationId: 'listWebhooks',
      summary: 'The tenant’s subscriptions, newest first',
      responses: {
        '200': {
          description: 'Every subscription of the tenant.',
          content: json({
            type: 'object',
            additionalProperties: false,
            required: ['items'],
            properties: { items: { type: 'array', items: ref('Webhook') } },
          }),
        },
        ...common,
      },
    },
  },
  '/v1/webhooks/{id}': {
    parameters: [idParam],
    get: {
      operationId: 'getWebhook',
      summary: 'One subscription',
      responses: {
        '200': { description: 'The subscription.', content: json(ref('Webhook')) },
        '404': notFound,
        ...common,
      },
    },
    patch: {
      operationId: 'updateWebhook',
      summary: 'Change a subscription (enabling it clears why it was disabled)',
      requestBody: body(ref('UpdateWebhook')),
      responses: {
        '200': { description: 'The subscription as it is now.', content: json(ref('Webhook')) },
        ...bodyProblems,
        '404': notFound,
        '422': problem('A field is not valid, or the URL is not one webhooks may reach.'),
        ...common,
        ...urlUnavailable,
      },
    },
    delete: {
      operationId: 'deleteWebhook',
      summary: 'Delete a subscription (its deliveries not yet made are skipped)',
      responses: { '204': { description: 'Deleted.' }, '404': notFound, ...common },
    },
  },
  '/v1/webhooks/{id}/rotate-secret': {
    parameters: [idParam],
    post: {
      operationId: 'rotateWebhookSecret',
      summary: 'A new secret (shown in this answer only); the old one keeps signing for the overlap',
      responses: {
        '200': { description: 'Rotated.', headers: noStore, content: json(ref('WebhookWithSecret')) },
        '404': notFound,
        '409': problem('Another rotation of this subscription happened at the same time.'),
        ...common,
      },
    },
  },
  '/v1/webhooks/{id}/deliveries': {
    parameters: [idParam],
    get: {
      operationId: 'listWebhookDeliveries',
      summary: 'Deliveries to this subscription with every attempt, newest first',
      parameters: deliveryQuery,
      responses: { ...deliveryList, '404': notFound, ...common },
    },
  },
  '/v1/webhooks/{id}/replay': {
    parameters: [idParam],
    post: {
      operationId: 'replayWebhookDeliveries',
      summary: 'Queue again every failed or dead delivery of this subscription created since a time',
      requestBody: body(replaySinceSchema),
      responses: {
        '202': {
          description: 'Queued again; the notifier delivers them as due now.',
          content: json({
            type: 'object',
            additionalProperties: false,
            required: ['replayed'],
            properties: { replayed: { type: 'integer', minimum: 0 } },
          }),
        },
        ...bodyProblems,
        '404': notFound,
        '422': problem('since is missing, not a date-time, or in the future.'),
        ...common,
      },
    },
  },
  '/v1/jobs/{id}/deliveries': {
    parameters: [idParam],
    get: {
      operationId: 'listJobDeliveries',
      summary: 'Webhook deliveries of one job: to its own webhook and to every subscription',
      parameters: deliveryQuery,
      responses: { ...deliveryList, '404': problem('No such job for this tenant.'), ...common },
    },
  },
  '/v1/webhook-deliveries/{deliveryId}/replay': {
    parameters: [{ name: 'deliveryId', in: 'path', required: true, schema: { type: 'string' } }],
    post: {
      operationId: 'replayWebhookDelivery',
      summary: 'Queue one delivery again (same webhook-id, a fresh round of attempts)',
      responses: {
        '202': { description: 'Queued again, due now.', content: json(ref('WebhookDelivery')) },
        '404': problem('No such delivery for this tenant.'),
        '409': problem('The delivery is already waiting for its next attempt.'),
        ...common,
      },
    },
  },
  '/v1/webhook-signing-secret': {
    get: {
      operationId: 'getSigningSecret',
      summary:
        'The tenant’s signing secret, which signs per-job webhooks given without a secret: created on first use; its value is in the first answer only',
      responses: {
        '200': { description: 'The signing secret.', headers: noStore, content: json(ref('SigningSecret')) },
        ...common,
      },
    },
  },
  '/v1/webhook-signing-secret/rotate': {
    post: {
      operationId: 'rotateSigningSecret',
      summary: 'A new signing secret (shown in this answer only); the old one keeps signing for the overlap',
      responses: {
        '200': {
          description: 'Rotated.',
          headers: noStore,
          content: json({ ...signingSecretSchema(true), title: 'RotatedSigningSecret' }),
        },
        '409': problem('The secret changed in another request at the same time.'),
        ...common,
      },
    },
  },
};

const webhookProperties = {
  id: { type: 'string', pattern: SUBSCRIPTION_ID_PATTERN.source },
  url: { type: 'string' },
  events: { type: 'array', items: { enum: [...webhookEventTypes] }, description: 'Empty: every event.' },
  description: { type: ['string', 'null'] },
  enabled: { type: 'boolean' },
  disabledReason: {
    enum: ['manual', 'gone', 'failing', null],
    description: 'manual: by the API; gone: the endpoint answered 410; failing: it failed every delivery for too long.',
  },
  disabledAt: nullable(dateTime),
  failingSince: { ...nullable(dateTime), description: 'The first failed attempt since the last success.' },
  lastDeliveredAt: nullable(dateTime),
  createdAt: dateTime,
  updatedAt: dateTime,
  secrets: ref('SecretInfo'),
};
const webhookRequired = Object.keys(webhookProperties);

export const webhookSchemas = {
  CreateWebhook: createSubscriptionSchema,
  UpdateWebhook: updateSubscriptionSchema,
  SecretInfo: {
    type: 'array',
    description: 'The secrets that sign now, current first (never their values).',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['createdAt', 'expiresAt'],
      properties: {
        createdAt: dateTime,
        expiresAt: {
          ...nullable(dateTime),
          description: 'Null for the current secret; a rotated-out one signs until then.',
        },
      },
    },
  },
  Webhook: { type: 'object', additionalProperties: false, required: webhookRequired, properties: webhookProperties },
  WebhookWithSecret: {
    type: 'object',
    additionalProperties: false,
    required: ['secret', ...webhookRequired],
    properties: { secret: secretValue, ...webhookProperties },
  },
  SigningSecret: signingSecretSchema(false),
  WebhookDelivery: {
    type: 'object',
    additionalProperties: false,
    required: [
      'id',
      'subscriptionId',
      'jobId',
      'eventType',
      'sequence',
      'url',
      'state',
      'attempts',
      'nextAttemptAt',
      'replays',
      'createdAt',
      'finishedAt',
      'attemptLog',
    ],
    properties: {
      id: { type: 'string', description: 'The webhook-id: the same on every attempt and replay.' },
      subscriptionId: { type: 'string', description: 'A subscription id, or "job" for the job’s own webhook.' },
      jobId: { type: 'string' },
      eventType: { enum: [...webhookEventTypes] },
      sequence: { type: 'integer', minimum: 0 },
      url: { type: 'string' },
      state: { enum: [...deliveryStates] },
      attempts: { type: 'integer', minimum: 0, description: 'Attempts in this round (a replay starts a new one).' },
      nextAttemptAt: nullable(dateTime),
      replays: { type: 'integer', minimum: 0 },
      createdAt: dateTime,
      finishedAt: nullable(dateTime),
      attemptLog: {
        type: 'array',
        description: 'Every attempt, oldest first (the last 50).',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['at', 'outcome', 'status', 'latencyMs', 'error', 'response'],
          properties: {
            at: dateTime,
            outcome: { enum: ['delivered', 'retry', 'gone', 'failed'] },
            status: { type: ['integer', 'null'] },
            latencyMs: { type: 'number', minimum: 0 },
            error: { type: ['string', 'null'] },
            response: { type: 'string', description: 'The first bytes of the response body.' },
          },
        },
      },
    },
  },
  WebhookDeliveryList: {
    type: 'object',
    additionalProperties: false,
    required: ['items', 'next'],
    properties: {
      items: { type: 'array', items: ref('WebhookDelivery') },
      next: { ...nullable(dateTime), description: 'Pass as `before` for the next page; null on the last.' },
    },
  },
};
