export {
  generateSecret,
  secretKey,
  signWebhook,
  verifyWebhook,
  SECRET_PREFIX,
  WebhookSignatureError,
  type SignedHeaders,
} from './signing';
export {
  jobSnapshot,
  webhookEventType,
  webhookEventTypes,
  webhookId,
  webhookPayload,
  type WebhookEventType,
  type WebhookJobSnapshot,
  type WebhookPayload,
} from './payload';
