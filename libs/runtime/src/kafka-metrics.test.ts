import type { Admin } from '@longhaul/kafka';
import { Registry } from '@longhaul/telemetry';
import { describe, expect, it } from 'vitest';
import { registerGroupLag } from './kafka-metrics';

function fakeAdmin(answer: () => Promise<number>): Admin & { calls: number } {
  const admin = {
    calls: 0,
    fetchOffsets: async () => {
      admin.calls++;
      const committed = await answer();
      return [{ topic: 't', partitions: [{ partition: 0, offset: String(committed) }] }];
    },
    fetchTopicOffsets: () => Promise.resolve([{ partition: 0, low: '0', high: '100', offset: '100' }]),
    describeGroups: () => Promise.resolve({ groups: [{ groupId: 'g', members: [{}] }] }),
  };
  return admin as unknown as Admin & { calls: number };
}

const group = { consumer: 'processor', groupId: 'g', topics: ['t'] };

describe('registerGroupLag', () => {
  it('exports lag per partition and the member count when scraped, reading Kafka at most once per cache period', async () => {
    const registry = new Registry();
    const admin = fakeAdmin(() => Promise.resolve(60));
    registerGroupLag(registry, admin, [group], { cacheMs: 60_000 });
    const text = await registry.metrics();
    expect(text).toContain(
      'longhaul_kafka_consumer_group_lag_messages{consumer="processor",group="g",topic="t",partition="0"} 40',
    );
    expect(text).toContain('longhaul_kafka_consumer_group_members{consumer="processor",group="g"} 1');
    await registry.metrics();
    expect(admin.calls).toBe(1);
  });

  it('drops the series and counts a failure when Kafka does not answer in time, and reads again on the next scrape', async () => {
    const registry = new Registry();
    let hang = true;
    const errors: unknown[] = [];
    const admin = fakeAdmin(() => (hang ? new Promise<number>(() => {}) : Promise.resolve(100)));
    registerGroupLag(registry, admin, [group], { timeoutMs: 50, onError: (e) => errors.push(e) });
    const text = await registry.metrics();
    expect(text).not.toMatch(/longhaul_kafka_consumer_group_lag_messages\{/);
    // Counted as the scrape runs: it shows from the next one.
    expect(await registry.getSingleMetricAsString('longhaul_kafka_lag_read_failures_total')).toContain(
      'longhaul_kafka_lag_read_failures_total 1',
    );
    expect(String(errors[0])).toMatch(/not read within 50 ms/);
    hang = false;
    expect(await registry.metrics()).toMatch(/longhaul_kafka_consumer_group_lag_messages\{.*partition="0"\} 0/);
  });
});
