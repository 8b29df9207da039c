import { describe, expect, it } from 'vitest';
import { formatLine } from './log-format';

describe('log lines', () => {
  it('turns a service JSON line into a readable one with the service name', () => {
    const line = JSON.stringify({
      level: 'warn',
      time: '2026-11-28T10:11:12.345Z',
      service: 'ingress',
      pid: 1,
      msg: 'slow publish',
      ms: 120,
      err: { message: 'timeout' },
    });
    expect(formatLine('ingress', 8, line, false)).toBe('ingress  | 10:11:12.345 WARN  slow publish ms=120 err=timeout');
  });

  it('passes other lines through, prefixed', () => {
    expect(formatLine('kafka', 6, 'INFO started', false)).toBe('kafka  | INFO started');
    expect(formatLine('kafka', 6, '{not json', false)).toBe('kafka  | {not json');
  });
});
