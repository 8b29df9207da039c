import type { Admin } from 'kafkajs';

export interface TopicSpec {
  readonly topic: string;
  readonly numPartitions: number;
  readonly replicationFactor?: number;
  readonly configs?: Readonly<Record<string, string>>;
}

/** The topics Longhaul uses, all under one configurable prefix. */
export function topicNames(prefix: string) {
  return {
    requested: `${prefix}jobs.requested`,
    events: `${prefix}jobs.events`,
    state: `${prefix}jobs.state`,
    control: `${prefix}jobs.control`,
    /** Requests whose next attempt is due later (processor-internal; copies of JobRequested). */
    retry: `${prefix}jobs.retry`,
    /** Requests that will not run again, with every attempt's error: ready to redrive. */
    deadLetters: `${prefix}jobs.dead-letters`,
    /** Webhook deliveries that failed every attempt (the notifier's; also kept in MongoDB, replayable). */
    webhookDeadLetters: `${prefix}webhooks.dead-letters`,
  } as const;
}

/** The processors' consumer group on the requests and retry topics (KEDA scales on its lag). */
export const processorGroupId = (prefix: string): string => `${prefix}processor`;

export interface TopicSettings {
  readonly topicPrefix: string;
  readonly requestedPartitions: number;
  readonly eventsPartitions: number;
  /** The HTTP request body limit: a topic must take a message at least twice that size. */
  readonly maxBodyBytes: number;
  /** How long the request and lifecycle topics keep events (what a read-model rebuild can replay). */
  readonly topicRetentionHours?: number;
  readonly replicationFactor?: number;
}

/** Cancel requests are few and broadcast to every processor; a handful of partitions is plenty. */
const CONTROL_PARTITIONS = 3;

/** Every topic with its partition count. */
export function topicSpecs(settings: TopicSettings): Record<keyof ReturnType<typeof topicNames>, TopicSpec> {
  const names = topicNames(settings.topicPrefix);
  const common = {
    ...(settings.replicationFactor === undefined ? {} : { replicationFactor: settings.replicationFactor }),
    // An event carries the whole request (payload as JSON text) plus its envelope and headers.
    configs: { 'max.message.bytes': String(2 * settings.maxBodyBytes + 64 * 1024) },
  };
  // The read model is rebuilt from these two (services/projector, rebuild): they keep events
  // at least as long as it keeps jobs.
  const replayable =
    settings.topicRetentionHours === undefined
      ? common
      : { ...common, configs: { ...common.configs, 'retention.ms': String(settings.topicRetentionHours * 3_600_000) } };
  return {
    requested: { topic: names.requested, numPartitions: settings.requestedPartitions, ...replayable },
    events: { topic: names.events, numPartitions: settings.eventsPartitions, ...replayable },
    state: { topic: names.state, numPartitions: settings.eventsPartitions, ...common },
    control: { topic: names.control, numPartitions: CONTROL_PARTITIONS, ...common },
    retry: { topic: names.retry, numPartitions: settings.requestedPartitions, ...common },
    deadLetters: { topic: names.deadLetters, numPartitions: CONTROL_PARTITIONS, ...common },
    webhookDeadLetters: { topic: names.webhookDeadLetters, numPartitions: CONTROL_PARTITIONS, ...common },
  };
}

/**
 * Create the topics that are missing; existing ones are left as they are (a partition count
 * is never changed behind the operator's back). Safe to call from several processes at once.
 */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.topic));
  if (missing.length === 0) {
    await waitForTopicLeaders(admin, specs);
    return [];
  }
  try {
    // Not kafkajs' waitForLeaders: it retries only LEADER_NOT_AVAILABLE and fails on the
    // UNKNOWN_TOPIC_OR_PARTITION a broker answers for a topic it has not yet caught up with.
    await admin.createTopics({
      waitForLeaders: false,
      topics: missing.map((s) => ({
        topic: s.topic,
        numPartitions: s.numPartitions,
        replicationFactor: s.replicationFactor ?? -1,
        configEntries: Object.entries(s.configs ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
  } catch (err) {
    // Another process created them first, or a transient error: they exist if they get
    // leaders; if they never do, the creation error is the one worth reporting.
    await waitForTopicLeaders(admin, specs).catch(() => {
      throw err;
    });
    return missing.map((s) => s.topic);
  }
  await waitForTopicLeaders(admin, specs);
  return missing.map((s) => s.topic);
}

/**
 * A topic just created may not be in the broker's metadata yet (consumers then fail with
 * UNKNOWN_TOPIC_OR_PARTITION); wait until every partition has a leader.
 */
async function waitForTopicLeaders(admin: Admin, specs: readonly TopicSpec[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.topic) });
      const ready = specs.every((spec) => {
        const meta = topics.find((t) => t.name === spec.topic);
        return (
          meta !== undefined &&
          meta.partitions.length >= spec.numPartitions &&
          meta.partitions.every((p) => p.leader >= 0)
        );
      });
      if (ready) return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error(`topics ${specs.map((s) => s.topic).join(', ')} have no leaders yet`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
