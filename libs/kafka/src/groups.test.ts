import type { Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { consumerGroups, readGroupLag } from './groups';

/** An admin answering the three calls readGroupLag makes, from fixed offsets. */
function fakeAdmin(opts: {
  committed: Record<string, Record<number, string>>;
  ends: Record<string, { partition: number; low: string; high: string }[]>;
  members: number;
}): Admin {
  return {
    fetchOffsets: ({ topics }: { topics: string[] }) =>
      Promise.resolve(
        topics.map((topic) => ({
          topic,
          partitions: Object.entries(opts.committed[topic] ?? {}).map(([p, offset]) => ({
            partition: Number(p),
            offset,
          })),
        })),
      ),
    fetchTopicOffsets: (topic: string) =>
      Promise.resolve((opts.ends[topic] ?? []).map((e) => ({ ...e, offset: e.high }))),
    describeGroups: (ids: string[]) =>
      Promise.resolve({ groups: ids.map((groupId) => ({ groupId, members: new Array(opts.members).fill({}) })) }),
  } as unknown as Admin;
}

describe('readGroupLag', () => {
  const group = consumerGroups('lh.').processor;

  it('names the groups of the services under the topic prefix', () => {
    expect(group).toEqual({
      consumer: 'processor',
      groupId: 'lh.processor',
      topics: ['lh.jobs.requested', 'lh.jobs.retry'],
    });
    expect(consumerGroups('lh.').projector.topics).toEqual(['lh.jobs.requested', 'lh.jobs.events']);
  });

  it('counts messages after the committed offset per partition, and all retained ones where nothing is committed', async () => {
    const admin = fakeAdmin({
      committed: { 'lh.jobs.requested': { 0: '90', 1: '-1' }, 'lh.jobs.retry': { 0: '5' } },
      ends: {
        'lh.jobs.requested': [
          { partition: 0, low: '0', high: '100' },
          { partition: 1, low: '20', high: '50' },
        ],
        'lh.jobs.retry': [{ partition: 0, low: '0', high: '5' }],
      },
      members: 2,
    });
    expect(await readGroupLag(admin, group)).toEqual({
      consumer: 'processor',
      groupId: 'lh.processor',
      members: 2,
      partitions: [
        {
          topic: 'lh.jobs.requested',
          partition: 0,
          startOffset: '0',
          endOffset: '100',
          committedOffset: '90',
          lag: 10,
        },
        {
          topic: 'lh.jobs.requested',
          partition: 1,
          startOffset: '20',
          endOffset: '50',
          committedOffset: null,
          lag: 30,
        },
        { topic: 'lh.jobs.retry', partition: 0, startOffset: '0', endOffset: '5', committedOffset: '5', lag: 0 },
      ],
    });
  });

  it('never reports a negative lag (a commit read after a newer end offset)', async () => {
    const admin = fakeAdmin({
      committed: { 'lh.jobs.requested': { 0: '12' } },
      ends: { 'lh.jobs.requested': [{ partition: 0, low: '0', high: '10' }], 'lh.jobs.retry': [] },
      members: 0,
    });
    const lag = await readGroupLag(admin, group);
    expect(lag.partitions).toEqual([
      { topic: 'lh.jobs.requested', partition: 0, startOffset: '0', endOffset: '10', committedOffset: '12', lag: 0 },
    ]);
    expect(lag.members).toBe(0);
  });
});
