import { describe, expect, it } from 'vitest';
import { topicSpecs } from './topics';

const base = { topicPrefix: 'p.', requestedPartitions: 6, eventsPartitions: 4, maxBodyBytes: 1024 * 1024 };

describe('topicSpecs', () => {
  it("leaves replication to the broker's defaults unless told", () => {
    const specs = topicSpecs({ ...base, replicationFactor: -1, minInsyncReplicas: 0 });
    expect(specs.requested.replicationFactor).toBeUndefined();
    expect(specs.requested.configs).not.toHaveProperty('min.insync.replicas');
    expect(specs.requested.configs?.['unclean.leader.election.enable']).toBe('false');
  });

  it('gives every topic the replication factor and min.insync.replicas asked for', () => {
    const specs = topicSpecs({ ...base, replicationFactor: 3, minInsyncReplicas: 2, topicRetentionHours: 48 });
    for (const spec of Object.values(specs)) {
      expect(spec.replicationFactor).toBe(3);
      expect(spec.configs?.['min.insync.replicas']).toBe('2');
      expect(spec.configs?.['unclean.leader.election.enable']).toBe('false');
    }
    expect(specs.requested).toMatchObject({ topic: 'p.jobs.requested', numPartitions: 6 });
    expect(specs.requested.configs?.['retention.ms']).toBe(String(48 * 3_600_000));
    expect(specs.state.configs).not.toHaveProperty('retention.ms');
  });
});
