import { describe, expect, it } from 'vitest';
import { topicProblems, type TopicState } from './topic-check';
import { topicSpecs } from './topics';

const specs = Object.values(
  topicSpecs({
    topicPrefix: 'p.',
    requestedPartitions: 12,
    eventsPartitions: 12,
    maxBodyBytes: 1024,
    replicationFactor: 3,
    minInsyncReplicas: 2,
  }),
);
const healthy: TopicState[] = specs.map((s) => ({
  topic: s.topic,
  partitions: s.numPartitions,
  replicas: 3,
  configs: { 'min.insync.replicas': '2', 'unclean.leader.election.enable': 'false' },
}));

describe('topicProblems', () => {
  it('none when every topic is as asked (or has more partitions)', () => {
    expect(topicProblems(specs, healthy)).toEqual([]);
    const more = healthy.map((s) => ({ ...s, partitions: s.partitions + 4 }));
    expect(topicProblems(specs, more)).toEqual([]);
  });

  it('names each topic that is missing, smaller, less replicated or less safe', () => {
    const states = healthy
      .filter((s) => s.topic !== 'p.jobs.control')
      .map((s) =>
        s.topic === 'p.jobs.requested'
          ? {
              ...s,
              partitions: 6,
              replicas: 1,
              configs: { 'min.insync.replicas': '1', 'unclean.leader.election.enable': 'true' },
            }
          : s,
      );
    expect(topicProblems(specs, states)).toEqual([
      'topic p.jobs.requested has 6 partitions, 12 are asked for',
      'topic p.jobs.requested has 1 replicas, 3 are asked for',
      'topic p.jobs.requested has min.insync.replicas=1, 2 is asked for',
      'topic p.jobs.requested allows unclean leader election',
      'topic p.jobs.control does not exist',
    ]);
  });
});
