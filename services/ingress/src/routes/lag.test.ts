import { describe, expect, it } from 'vitest';
import { partitionLags } from './lag';

describe('partitionLags', () => {
  it('counts from the committed offset, or from the first kept message when the group committed nothing', () => {
    const lags = partitionLags(
      [
        { partition: 1, low: '5', high: '20' },
        { partition: 0, low: '0', high: '10' },
        { partition: 2, low: '7', high: '7' },
      ],
      [
        { partition: 0, offset: '4' },
        { partition: 1, offset: '-1' },
      ],
    );
    expect(lags).toEqual([
      { partition: 0, startOffset: '0', endOffset: '10', committedOffset: '4', lag: 6 },
      { partition: 1, startOffset: '5', endOffset: '20', committedOffset: null, lag: 15 },
      { partition: 2, startOffset: '7', endOffset: '7', committedOffset: null, lag: 0 },
    ]);
  });

  it('never reports negative lag (a commit read before the end offset moved)', () => {
    expect(partitionLags([{ partition: 0, low: '0', high: '3' }], [{ partition: 0, offset: '5' }])[0]?.lag).toBe(0);
  });
});
