import { webhookEventTypes } from '@longhaul/contracts';

/**
 * JSON Schemas of the webhooks API's request bodies: used to validate requests and, unchanged,
 * in the OpenAPI document (as api-schemas.ts does for jobs).
 */
export const MAX_DESCRIPTION = 500;

const url = {
  type: 'string',
  minLength: 1,
  maxLength: 2048,
  description: 'https (http only where the operator allows it); public addresses only.',
};
const events = {
  type: 'array',
  items: { enum: [...webhookEventTypes] },
  uniqueItems: true,
  description: 'The event types to deliver; empty or absent: all.',
};
const description = { type: ['string', 'null'], maxLength: MAX_DESCRIPTION };
const enabled = { type: 'boolean' };

export const createSubscriptionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: { url, events, description, enabled },
} as const;

export const updateSubscriptionSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { url, events, description, enabled },
} as const;

export const replaySinceSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['since'],
  properties: {
    since: {
      type: 'string',
      format: 'date-time',
      description: 'Every failed or dead delivery created at or after this time is queued again; not in the future.',
    },
  },
} as const;

export interface SubscriptionFields {
  url?: string;
  events?: string[];
  description?: string | null;
  enabled?: boolean;
}
