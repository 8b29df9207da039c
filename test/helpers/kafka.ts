import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { testStack, uniqueName } from './stack';

function client(brokers: string[] = testStack().kafkaBrokers): Kafka {
  return new Kafka({ clientId: 'longhaul-test', brokers, logLevel: logLevel.NOTHING });
}

/** How many messages a topic holds (sum of its partitions' end offsets); 0 when it does not exist. */
export async function countMessages(topic: string): Promise<number> {
  const admin = client().admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) return 0;
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Read a topic from the beginning until `count` messages arrived, or `until` holds (or the timeout passed). */
export async function readMessages(
  topic: string,
  count: number,
  opts: { timeoutMs?: number; brokers?: string[]; until?: (messages: KafkaMessage[]) => boolean } = {},
): Promise<KafkaMessage[]> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const consumer = client(opts.brokers).consumer({ groupId: uniqueName('it-reader') });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void consumer.run({
        eachMessage: ({ message }) => {
          messages.push(message);
          if (opts.until ? opts.until(messages) : messages.length >= count) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}
