import { describe, expect, it } from 'vitest';
import { fitLine, progressLine, renderBar } from './progress';

describe('renderBar', () => {
  it('fills in proportion and clamps', () => {
    expect(renderBar(40, 10)).toBe('[####------]  40%');
    expect(renderBar(0, 4)).toBe('[----]   0%');
    expect(renderBar(150, 4)).toBe('[####] 100%');
    expect(renderBar(Number.NaN, 4)).toBe('[----]   0%');
  });
});

describe('progressLine', () => {
  it('shows status, stage and message, and a retry’s attempt', () => {
    expect(
      progressLine(
        {
          status: 'running',
          progress: { percent: 50, stage: 'render', message: 'page 2 of 4' },
          attempt: 1,
          maxAttempts: 3,
        },
        4,
      ),
    ).toBe('[##--]  50%  running  render: page 2 of 4');
    expect(progressLine({ status: 'retrying', progress: null, attempt: 2, maxAttempts: 3 }, 4)).toBe(
      '[----]   0%  retrying  attempt 2/3',
    );
    expect(progressLine({ status: 'succeeded', progress: null, attempt: 1, maxAttempts: 3 }, 4)).toBe(
      '[####] 100%  succeeded',
    );
  });
});

describe('fitLine', () => {
  it('never lets a redrawn line wrap', () => {
    expect(fitLine('abcdefghij', 8)).toBe('abcdef…');
    expect(fitLine('abc', 8)).toBe('abc');
  });
});
