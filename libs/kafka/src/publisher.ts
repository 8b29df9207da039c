import { createGroupCommit } from '@longhaul/batching';
import { SpanKind, startSpan } from '@longhaul/telemetry';
import { Partitioners, type Producer, type ProducerConfig } from 'kafkajs';

export class PublishTimeout extends Error {
  override readonly name = 'PublishTimeout';
}

/** One Kafka message, ready to send: its topic, key (the job id) and encoded value. */
export interface OutgoingMessage {
  readonly topic: string;
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
}

export type Publish = (message: OutgoingMessage) => Promise<void>;

/**
 * How every Longhaul producer is made (`kafka.producer(durableProducer)`): idempotent, so acks=all
 * and no duplicates on retry, with one request in flight. Keys are partitioned as Java clients
 * do, kafkajs's default since 2.0; naming it keeps kafkajs from warning about that at every start.
 */
export const durableProducer: ProducerConfig = {
  idempotent: true,
  maxInFlightRequests: 1,
  createPartitioner: Partitioners.DefaultPartitioner,
};

/**
 * Publish messages with acks=all through one idempotent producer, group-committed: messages
 * that arrive while a send is in flight go together in the next `sendBatch`, so concurrent
 * callers share broker round trips (kafkajs' idempotent producer has one request in flight).
 *
 * Each call is bounded by `timeoutMs`: past it the caller gets PublishTimeout at once, but the
 * message may still be delivered later — a caller that answers "not accepted" must make a late
 * delivery harmless (ingress rejects the acceptance record first; processors skip it).
 */
export function createPublisher(
  producer: Producer,
  opts: { timeoutMs: number; maxBatch?: number; onLateFailure?: (err: unknown) => void },
): Publish {
  const batches = createGroupCommit<OutgoingMessage, void>(
    async (messages) => {
      const byTopic = new Map<string, OutgoingMessage[]>();
      for (const m of messages) {
        const list = byTopic.get(m.topic);
        if (list) list.push(m);
        else byTopic.set(m.topic, [m]);
      }
      await producer.sendBatch({
        acks: -1,
        timeout: opts.timeoutMs,
        topicMessages: [...byTopic].map(([topic, ms]) => ({
          topic,
          messages: ms.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
        })),
      });
      return messages.map(() => undefined);
    },
    { maxBatch: opts.maxBatch ?? 500 },
  );

  return async function publish(message) {
    // A producer span per message, child of the context the message carries (its job's), and
    // passed on in its headers. Not kafkajs' instrumentation: it parents every message of a
    // group-committed batch on whatever context is active when the batch is sent, and writes
    // that over each message's own traceparent — joining unrelated jobs into one trace.
    const span = startSpan(`send ${message.topic}`, {
      parent: message.headers,
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.destination.name': message.topic,
        'messaging.kafka.message.key': message.key,
      },
    });
    try {
      await sendBounded(span ? { ...message, headers: { ...message.headers, ...span.headers } } : message);
      span?.end();
    } catch (err) {
      span?.end(err);
      throw err;
    }
  };

  async function sendBounded(message: OutgoingMessage): Promise<void> {
    const send = batches.submit(message);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new PublishTimeout(`not acknowledged within ${opts.timeoutMs} ms`)),
        opts.timeoutMs,
      );
    });
    try {
      await Promise.race([send, deadline]);
    } catch (err) {
      send.catch(opts.onLateFailure ?? (() => undefined));
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}
