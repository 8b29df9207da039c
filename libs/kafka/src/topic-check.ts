import { ConfigResourceTypes, type Admin } from 'kafkajs';
import type { TopicSpec } from './topics';

/** What a topic is on the broker: partitions, replicas of its smallest partition, chosen configs. */
export interface TopicState {
  readonly topic: string;
  readonly partitions: number;
  readonly replicas: number;
  readonly configs: Readonly<Record<string, string>>;
}

/** The configs whose value on an existing topic must be what the spec asks for. */
const CHECKED_CONFIGS = ['min.insync.replicas', 'unclean.leader.election.enable'] as const;

/**
 * How existing topics differ from their specs, one line each. Fewer partitions than asked (the
 * processors' parallelism and KEDA's maxReplicaCount assume them), fewer replicas, a lower
 * `min.insync.replicas` or unclean leader election on are problems; more is not.
 */
export function topicProblems(specs: readonly TopicSpec[], states: readonly TopicState[]): string[] {
  const problems: string[] = [];
  for (const spec of specs) {
    const state = states.find((s) => s.topic === spec.topic);
    if (!state) {
      problems.push(`topic ${spec.topic} does not exist`);
      continue;
    }
    if (state.partitions < spec.numPartitions)
      problems.push(`topic ${spec.topic} has ${state.partitions} partitions, ${spec.numPartitions} are asked for`);
    if (spec.replicationFactor !== undefined && state.replicas < spec.replicationFactor)
      problems.push(`topic ${spec.topic} has ${state.replicas} replicas, ${spec.replicationFactor} are asked for`);
    const wantedIsr = Number(spec.configs?.['min.insync.replicas'] ?? '0');
    const isr = Number(state.configs['min.insync.replicas'] ?? '1');
    if (wantedIsr > 0 && isr < wantedIsr)
      problems.push(`topic ${spec.topic} has min.insync.replicas=${isr}, ${wantedIsr} is asked for`);
    if (
      spec.configs?.['unclean.leader.election.enable'] === 'false' &&
      state.configs['unclean.leader.election.enable'] === 'true'
    )
      problems.push(`topic ${spec.topic} allows unclean leader election`);
  }
  return problems;
}

/** Read the state of existing topics from the brokers (missing ones are left out). */
export async function describeTopics(admin: Admin, topics: readonly string[]): Promise<TopicState[]> {
  const existing = new Set(await admin.listTopics());
  const present = topics.filter((t) => existing.has(t));
  if (present.length === 0) return [];
  const { topics: meta } = await admin.fetchTopicMetadata({ topics: present });
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((name) => ({
      type: ConfigResourceTypes.TOPIC,
      name,
      configNames: [...CHECKED_CONFIGS],
    })),
  });
  return meta.map((t) => {
    const resource = described.resources.find((r) => r.resourceName === t.name);
    const configs = Object.fromEntries((resource?.configEntries ?? []).map((e) => [e.configName, e.configValue]));
    return {
      topic: t.name,
      partitions: t.partitions.length,
      replicas: Math.min(...t.partitions.map((p) => p.replicas.length)),
      configs,
    };
  });
}
