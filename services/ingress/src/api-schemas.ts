import { webhookEventTypes } from '@longhaul/contracts';

/**
 * JSON Schemas of the request bodies: used to validate requests and, unchanged, in the OpenAPI
 * document, so the two cannot disagree.
 */
export const WEBHOOK_SECRET_PATTERN = '^whsec_[A-Za-z0-9+/]{32,88}={0,2}$';

export const submitJobSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'payload'],
  properties: {
    type: { type: 'string', minLength: 1, maxLength: 100, description: 'A job type from the catalog.' },
    payload: { description: "Validated against the job type's payload schema." },
    webhook: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: {
        url: { type: 'string', minLength: 1, maxLength: 2048, description: 'https; public addresses only.' },
        secret: {
          type: 'string',
          pattern: WEBHOOK_SECRET_PATTERN,
          description:
            "Standard Webhooks secret (whsec_ + base64 of 24–64 bytes); without it the tenant's secret signs.",
        },
        events: {
          type: 'array',
          items: { enum: [...webhookEventTypes] },
          uniqueItems: true,
          description: 'Which events to deliver; all when omitted.',
        },
      },
    },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxAttempts: { type: 'integer', minimum: 1, maximum: 1000, description: 'Within the type limits.' },
        timeoutMs: {
          type: 'integer',
          minimum: 1,
          maximum: 86_400_000,
          description: 'Per attempt; within the type limits.',
        },
      },
    },
  },
} as const;

export interface SubmitJobBody {
  type: string;
  payload: unknown;
  webhook?: { url: string; secret?: string; events?: string[] };
  options?: { maxAttempts?: number; timeoutMs?: number };
}
