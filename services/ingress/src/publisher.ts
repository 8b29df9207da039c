import type { EncodedEvent } from '@longhaul/contracts';
import type { Producer } from '@longhaul/kafka';

export class PublishTimeout extends Error {
  override readonly name = 'PublishTimeout';
}

/**
 * Produce one event with acks=all on the idempotent producer, bounded in time. When the bound
 * passes, the caller gets PublishTimeout at once — but kafkajs may still deliver the message
 * later; the acceptance record, rejected by compare-and-set before the 503 goes out, is what
 * tells the processor to skip such a late request.
 */
export function createPublisher(
  producer: Producer,
  opts: { timeoutMs: number; onLateFailure: (err: unknown) => void },
) {
  return async function publish(event: EncodedEvent): Promise<void> {
    const send = producer.send({
      topic: event.topic,
      acks: -1,
      timeout: opts.timeoutMs,
      messages: [{ key: event.key, value: event.value, headers: event.headers }],
    });
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
      send.catch(opts.onLateFailure);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  };
}

export type Publish = ReturnType<typeof createPublisher>;
