import { describe, expect, it } from 'vitest';
import { createKafka, type KafkaLogSink } from './client';

describe('createKafka log bridge', () => {
  it("passes kafkajs' lines to the sink at their level, with their fields and no key of its own", () => {
    const lines: { level: string; obj: object; msg: string }[] = [];
    const record = (level: string) => (obj: object, msg: string) => lines.push({ level, obj, msg });
    const sink: KafkaLogSink = {
      error: record('error'),
      warn: record('warn'),
      info: record('info'),
      debug: record('debug'),
    };
    const kafka = createKafka({ brokers: ['127.0.0.1:1'], clientId: 't', logger: sink, logLevel: 'info' });
    kafka.logger().warn('broker gone', { broker: '127.0.0.1:1', retry: 2 });
    kafka.logger().debug('not shown at info');
    expect(lines).toEqual([{ level: 'warn', obj: { broker: '127.0.0.1:1', retry: 2 }, msg: 'broker gone' }]);
  });
});
