import { createPublisher, durableProducer, PublishTimeout, type Kafka, type Publish } from '@longhaul/kafka';
import { kafkaMetrics } from './kafka-metrics';
import type { ServiceContext } from './run-service';

/**
 * The service's idempotent producer (acks=all, one request in flight), connected, flushed at
 * shutdown, with its failures counted.
 */
export async function startPublisher(
  kafka: Kafka,
  ctx: ServiceContext,
  opts: Parameters<typeof createPublisher>[1],
): Promise<Publish> {
  const producer = kafka.producer(durableProducer);
  await producer.connect();
  ctx.lifecycle.onShutdown('flush', 'kafka-producer', () => producer.disconnect());
  const errors = kafkaMetrics(ctx.metrics.registry).producerErrors;
  producer.on(producer.events.REQUEST_TIMEOUT, () => errors.inc({ kind: 'request_timeout' }));
  const publish = createPublisher(producer, opts);
  return async (message) => {
    try {
      await publish(message);
    } catch (err) {
      errors.inc({ kind: err instanceof PublishTimeout ? 'timeout' : 'send_failed' });
      throw err;
    }
  };
}
