import { describe, expect, it } from 'vitest';
import { planCoPartitioned } from './co-partitioned-assigner';

describe('co-partitioned assignment', () => {
  it('gives partition i of every topic to the same member, spread evenly', () => {
    const plan = planCoPartitioned(['a', 'b', 'c'], ['req', 'ev'], [6, 6], true);
    expect(plan.get('a')).toEqual({ req: [0, 3], ev: [0, 3] });
    expect(plan.get('b')).toEqual({ req: [1, 4], ev: [1, 4] });
    expect(plan.get('c')).toEqual({ req: [2, 5], ev: [2, 5] });
  });

  it('with unequal partition counts, one member takes everything and the others stand by', () => {
    const plan = planCoPartitioned(['a', 'b'], ['req', 'ev'], [4, 2], false);
    expect(plan.get('a')).toEqual({ req: [0, 1, 2, 3], ev: [0, 1] });
    expect(plan.get('b')).toEqual({});
  });

  it('more members than partitions leaves the extra ones idle', () => {
    const plan = planCoPartitioned(['a', 'b', 'c'], ['req'], [2], true);
    expect([...plan.values()]).toEqual([{ req: [0] }, { req: [1] }, {}]);
  });
});
