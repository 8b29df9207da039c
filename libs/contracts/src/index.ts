export { createSchemaRegistry, pingSchemaRegistry, SchemaRegistry } from './registry';
export { NAMESPACE, eventTypes, fullName, schemas, type EventType, type RecordSchema } from './schemas';
export type * from './events';
export { goldenEvents } from './golden';
export {
  EVENT_TYPE_HEADER,
  PoisonMessageError,
  SchemaRegistryUnavailableError,
  createEventCodec,
  jobEventTypes,
  type EncodedEvent,
  type EventCodec,
} from './codec';
export {
  jobStatuses,
  terminalStatuses,
  hourOf,
  webhookEventTypes,
  type WebhookEventType,
  type JobAttemptRecord,
  type JobDocument,
  type PendingStateChange,
  type JobProblem,
  type JobProgress,
  type JobStatus,
} from './read-model';
export type { DeadLetterDocument } from './dead-letters';
export type { JobTypeControlDocument } from './job-type-controls';
