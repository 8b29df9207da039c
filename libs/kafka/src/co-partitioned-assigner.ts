import { AssignerProtocol, type Assignment, type PartitionAssigner } from 'kafkajs';

/**
 * Co-partitioned assignment: partition i of every subscribed topic goes to the same member, so
 * topics keyed alike (the job id, hashed by the same partitioner) bring all of one key's messages
 * to one member. kafkajs' default round-robin spreads them over members instead.
 *
 * That only lines up keys when the topics have the same number of partitions; when they do not,
 * every partition goes to one member (the first by id) and the others stand by, because a key's
 * messages split over two members could then be applied concurrently.
 */
export const coPartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: 'LonghaulCoPartitioned',
  version: 0,
  assign({ members, topics }) {
    const memberIds = members.map((m) => m.memberId).sort();
    const counts = topics.map((t) => cluster.findTopicPartitionMetadata(t).length);
    const aligned = counts.every((c) => c === counts[0]);
    const assignment = planCoPartitioned(memberIds, topics, counts, aligned);
    return Promise.resolve(
      memberIds.map((memberId) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 0,
          assignment: assignment.get(memberId) ?? {},
          userData: Buffer.alloc(0),
        }),
      })),
    );
  },
  protocol({ topics }) {
    return {
      name: 'LonghaulCoPartitioned',
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }),
    };
  },
});

/** The plan itself, pure: member id → topic → partitions. */
export function planCoPartitioned(
  memberIds: readonly string[],
  topics: readonly string[],
  partitionCounts: readonly number[],
  aligned: boolean,
): Map<string, Assignment> {
  const plan = new Map<string, Assignment>(memberIds.map((id) => [id, {}]));
  if (memberIds.length === 0) return plan;
  topics.forEach((topic, t) => {
    for (let p = 0; p < (partitionCounts[t] ?? 0); p++) {
      const member = aligned ? memberIds[p % memberIds.length]! : memberIds[0]!;
      const forMember = plan.get(member)!;
      (forMember[topic] ??= []).push(p);
    }
  });
  return plan;
}
