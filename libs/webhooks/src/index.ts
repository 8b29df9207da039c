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
export { createSecretBox, secretsKeySetting, type SecretBox } from './secret-box';
export { cidrListSetting, webhookSettings } from './settings';
export {
  JOB_SUBSCRIPTION,
  deliveriesTtlIndex,
  deliveryStates,
  minuteOf,
  rotateSecrets,
  signingSecrets,
  webhookIndexes,
  type DeliveryAttemptRecord,
  type DeliveryDocument,
  type DeliveryState,
  type DisabledReason,
  type SigningSecretDocument,
  type StoredSecret,
  type SubscriptionDocument,
  type WebhookChangesDocument,
  type WebhookReplayDocument,
} from './documents';
export { bumpWebhookChanges, ensureSigningSecret } from './store';
