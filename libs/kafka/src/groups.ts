import type { Admin } from 'kafkajs';
import { topicNames } from './topics';

export interface ConsumerGroup {
  /** The service that consumes (a bounded metric label; the group id carries the topic prefix). */
  readonly consumer: string;
  readonly groupId: string;
  readonly topics: readonly string[];
}

/**
 * The consumer groups of the services, in one place: the processor (the group KEDA scales on),
 * the projector and the notifier. Each service joins its own; the ingress reads all three's lag.
 */
export function consumerGroups(prefix: string): Record<'processor' | 'projector' | 'notifier', ConsumerGroup> {
  const t = topicNames(prefix);
  return {
    processor: { consumer: 'processor', groupId: `${prefix}processor`, topics: [t.requested, t.retry] },
    projector: { consumer: 'projector', groupId: `${prefix}projector`, topics: [t.requested, t.events] },
    notifier: { consumer: 'notifier', groupId: `${prefix}notifier`, topics: [t.state] },
  };
}

export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** The first offset the partition still holds, and the next one it will write. */
  readonly startOffset: string;
  readonly endOffset: string;
  /** Null when the group has committed nothing on the partition yet. */
  readonly committedOffset: string | null;
  /** Messages after the group's committed offset (all retained messages when it has none). */
  readonly lag: number;
}

export interface GroupLag {
  readonly consumer: string;
  readonly groupId: string;
  /** Members of the group now (0 when nobody consumes). */
  readonly members: number;
  readonly partitions: readonly PartitionLag[];
}

/**
 * A group's lag per partition from its committed offsets and the partitions' end offsets, the
 * way KEDA's Kafka scaler computes it; a partition with no committed offset counts every message
 * it still holds (the services start from the earliest offset).
 */
export async function readGroupLag(admin: Admin, group: ConsumerGroup): Promise<GroupLag> {
  const [committed, ends, described] = await Promise.all([
    admin.fetchOffsets({ groupId: group.groupId, topics: [...group.topics] }),
    Promise.all(group.topics.map(async (topic) => ({ topic, offsets: await admin.fetchTopicOffsets(topic) }))),
    admin.describeGroups([group.groupId]),
  ]);
  const partitions: PartitionLag[] = [];
  for (const { topic, offsets } of ends) {
    const done = new Map(
      (committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [p.partition, p.offset]),
    );
    for (const p of [...offsets].sort((a, b) => a.partition - b.partition)) {
      const raw = done.get(p.partition);
      const committedOffset = raw === undefined || BigInt(raw) < 0n ? null : raw;
      const lag = BigInt(p.high) - BigInt(committedOffset ?? p.low);
      partitions.push({
        topic,
        partition: p.partition,
        startOffset: p.low,
        endOffset: p.high,
        committedOffset,
        lag: Number(lag > 0n ? lag : 0n),
      });
    }
  }
  const members = described.groups.find((g) => g.groupId === group.groupId)?.members.length ?? 0;
  return { consumer: group.consumer, groupId: group.groupId, members, partitions };
}
