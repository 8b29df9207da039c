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
  webhookId,
  webhookPayload,
  type WebhookJobSnapshot,
  type WebhookPayload,
} from './payload';
