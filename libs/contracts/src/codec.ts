import { SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { topicNames, type OutgoingMessage } from '@longhaul/kafka';
import type { EventsByType, LonghaulEvent } from './events';
import { eventTypes, fullName, schemas, type EventType } from './schemas';

/** Which topic each event type travels on: the one place that routes events. */
const routes: Record<EventType, keyof ReturnType<typeof topicNames>> = {
  JobRequested: 'requested',
  JobStarted: 'events',
  JobProgressed: 'events',
  JobCheckpointed: 'events',
  JobSucceeded: 'events',
  JobAttemptFailed: 'events',
  JobFailed: 'events',
  JobCancelRequested: 'control',
  JobCancelled: 'events',
  JobDeadLettered: 'events',
  DeadLetter: 'deadLetters',
  JobStateChanged: 'state',
  WebhookDeadLettered: 'webhookDeadLetters',
};

/**
 * The types on `jobs.requested` and `jobs.events`: a job's request and lifecycle, which the
 * processor produces and the projector applies.
 */
export const jobEventTypes: readonly EventType[] = eventTypes.filter(
  (t) => routes[t] === 'requested' || routes[t] === 'events',
);

/** The header that names the event type, so a consumer can route without decoding. */
export const EVENT_TYPE_HEADER = 'longhaul-event-type';

/** A message that is not a Longhaul event: it goes to the dead letters, never stops a partition. */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}

/**
 * The schema registry could not be asked (down, slow, refusing connections): the message may be
 * fine. Not a PoisonMessageError: the consumer stops on it and reads the message again later.
 */
export class SchemaRegistryUnavailableError extends Error {
  override readonly name = 'SchemaRegistryUnavailableError';
}

/**
 * The registry's client reports every failure with an HTTP status: 404 is an id the registry
 * does not know (the message's fault); anything else is the registry's — its client gives
 * network errors and timeouts as 400 (or 408).
 */
function registryUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { status, code } = err as { status?: unknown; code?: unknown };
  if (typeof status === 'number') return status !== 404;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

/** An event ready for the publisher; its key is the job id, so one job's events stay in order. */
export type EncodedEvent = OutgoingMessage;

export interface EventCodec {
  topicOf(type: EventType): string;
  /** `<topic>-<record full name>`: the topic-record naming strategy, since types share topics. */
  subjectOf(type: EventType): string;
  /** Register the schemas of the given types (the ones a service produces); idempotent. */
  register(types?: readonly EventType[]): Promise<void>;
  encode<T extends EventType>(event: EventsByType[T], headers?: Record<string, string>): Promise<EncodedEvent>;
  /** Decode and check a message; throws PoisonMessageError for anything that is not a valid event. */
  decode(message: { value: Buffer | null; headers?: Record<string, unknown> }): Promise<LonghaulEvent>;
}

export function createEventCodec(registry: SchemaRegistry, topicPrefix: string): EventCodec {
  const names = topicNames(topicPrefix);
  const ids = new Map<EventType, number>();
  const topicOf = (type: EventType) => names[routes[type]];
  const subjectOf = (type: EventType) => `${topicOf(type)}-${fullName(type)}`;

  async function idOf(type: EventType): Promise<number> {
    const known = ids.get(type);
    if (known !== undefined) return known;
    for (let tries = 1; ; tries++) {
      try {
        const { id } = await registry.register(
          { type: SchemaType.AVRO, schema: JSON.stringify(schemas[type]) },
          { subject: subjectOf(type) },
        );
        ids.set(type, id);
        return id;
      } catch (err) {
        // Two services registering a new subject at once both try to set its compatibility
        // rule; the registry refuses the second with 409. The rule exists then: try again.
        if ((err as { status?: unknown }).status !== 409 || tries >= 3) throw err;
      }
    }
  }

  return {
    topicOf,
    subjectOf,
    async register(types = eventTypes) {
      for (const type of types) await idOf(type);
    },
    async encode(event, headers = {}) {
      const value = await registry.encode(await idOf(event.eventType), event);
      return {
        topic: topicOf(event.eventType),
        key: event.jobId,
        value,
        headers: { ...headers, [EVENT_TYPE_HEADER]: event.eventType },
      };
    },
    async decode(message) {
      if (!message.value || message.value.length < 5) throw new PoisonMessageError('empty or truncated message');
      let decoded: unknown;
      try {
        decoded = await registry.decode(message.value);
      } catch (err) {
        // The registry not answering is not the message's fault: skipping it would lose it.
        if (registryUnavailable(err)) {
          throw new SchemaRegistryUnavailableError(`the schema registry did not answer: ${(err as Error).message}`, {
            cause: err,
          });
        }
        throw new PoisonMessageError(`cannot decode: ${(err as Error).message}`, { cause: err });
      }
      const type = (decoded as { eventType?: unknown } | null)?.eventType;
      if (typeof type !== 'string' || !(type in schemas)) {
        throw new PoisonMessageError(`not a Longhaul event (eventType ${JSON.stringify(type)})`);
      }
      return decoded as LonghaulEvent;
    },
  };
}
