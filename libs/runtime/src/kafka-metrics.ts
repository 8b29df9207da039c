import { readGroupLag, type Admin, type Consumer, type ConsumerGroup, type GroupLag } from '@longhaul/kafka';
import { Counter, Gauge, type Registry } from '@longhaul/telemetry';

/** The Kafka metrics every service shares, declared once per registry. */
function declare(registry: Registry) {
  const registers = [registry];
  return {
    consumerErrors: new Counter({
      name: 'longhaul_kafka_consumer_errors_total',
      help: 'Kafka consumer errors, by consumer group and kind (crash: the member stopped; request_timeout).',
      labelNames: ['group', 'kind'] as const,
      registers,
    }),
    producerErrors: new Counter({
      name: 'longhaul_kafka_producer_errors_total',
      help: 'Kafka publishes that failed, by kind (timeout: not acknowledged in time; send_failed; request_timeout).',
      labelNames: ['kind'] as const,
      registers,
    }),
  };
}

const catalogs = new WeakMap<Registry, ReturnType<typeof declare>>();

export function kafkaMetrics(registry: Registry): ReturnType<typeof declare> {
  let catalog = catalogs.get(registry);
  if (!catalog) {
    catalog = declare(registry);
    catalogs.set(registry, catalog);
  }
  return catalog;
}

/** Count a group member's crashes and request timeouts. */
export function instrumentConsumer(registry: Registry, consumer: Consumer, group: string): void {
  const errors = kafkaMetrics(registry).consumerErrors;
  consumer.on(consumer.events.CRASH, () => errors.inc({ group, kind: 'crash' }));
  consumer.on(consumer.events.REQUEST_TIMEOUT, () => errors.inc({ group, kind: 'request_timeout' }));
}

/**
 * Consumer lag per group and partition, read from Kafka (committed and end offsets) when
 * Prometheus scrapes, at most once per `cacheMs`. Read by a service that does not consume those
 * groups (the ingress), so the figures stay there when every member of a group is down.
 */
export function registerGroupLag(
  registry: Registry,
  admin: Admin,
  groups: readonly ConsumerGroup[],
  opts: { cacheMs?: number; timeoutMs?: number; onError?: (err: unknown) => void } = {},
): void {
  const registers = [registry];
  const failures = new Counter({
    name: 'longhaul_kafka_lag_read_failures_total',
    help: 'Times the consumer lag could not be read from Kafka (the lag series are absent until it can).',
    registers,
  });
  let cached: { at: number; read: Promise<GroupLag[]> } | undefined;
  const read = (): Promise<GroupLag[]> => {
    if (cached && Date.now() - cached.at < (opts.cacheMs ?? 5_000)) return cached.read;
    const timeoutMs = opts.timeoutMs ?? 3_000;
    const attempt = Promise.race([
      Promise.all(groups.map((g) => readGroupLag(admin, g))),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`lag not read within ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]).catch((err: unknown) => {
      failures.inc();
      opts.onError?.(err);
      cached = undefined;
      return [] as GroupLag[];
    });
    cached = { at: Date.now(), read: attempt };
    return attempt;
  };
  new Gauge({
    name: 'longhaul_kafka_consumer_group_lag_messages',
    help: 'Messages after the consumer group committed offset, by consuming service, group, topic and partition (KEDA scales the processor on this).',
    labelNames: ['consumer', 'group', 'topic', 'partition'] as const,
    registers,
    async collect() {
      const lags = await read();
      this.reset();
      for (const g of lags) {
        for (const p of g.partitions) {
          this.set({ consumer: g.consumer, group: g.groupId, topic: p.topic, partition: String(p.partition) }, p.lag);
        }
      }
    },
  });
  new Gauge({
    name: 'longhaul_kafka_consumer_group_members',
    help: 'Members of the consumer group now, by consuming service and group (0: nobody consumes).',
    labelNames: ['consumer', 'group'] as const,
    registers,
    async collect() {
      const lags = await read();
      this.reset();
      for (const g of lags) this.set({ consumer: g.consumer, group: g.groupId }, g.members);
    },
  });
}
