export { LonghaulClient, type ClientOptions } from './client';
export { LonghaulError, LonghaulNetworkError, WaitTimeoutError, type ProblemDetails } from './errors';
export type { TransportOptions } from './http';
export type { JobsApi, SubmitOptions, Submitted } from './jobs';
export type { FollowOptions } from './job-events';
export type { WaitOptions } from './wait';
export type { WebhooksApi } from './webhooks';
export type { AdminApi } from './admin';
export { kedaReplicas, type KedaSettings, type ReplicaEstimate } from './keda';
export { retryAfterMs } from './retry-after';
export { EventStreamParser, type ServerSentEvent } from './sse';
export {
  verifyWebhook,
  webhookSignature,
  WebhookVerificationError,
  type VerifyOptions,
  type WebhookHeaders,
} from './webhook-signature';
export { isTerminal, terminalStatuses } from './types';
export type * from './types';
export type { components, operations, paths } from './generated/openapi';
