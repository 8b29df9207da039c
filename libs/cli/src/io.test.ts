import { describe, expect, it } from 'vitest';
import { ago, fields, table } from './io';

describe('table', () => {
  it('aligns columns and shows empty cells as -', () => {
    expect(
      table(
        ['ID', 'STATUS', 'NOTE'],
        [
          ['a', 'running', null],
          ['bbbb', 'queued', 'x'],
        ],
      ),
    ).toBe('ID    STATUS   NOTE\na     running  -\nbbbb  queued   x\n');
  });
});

describe('fields', () => {
  it('aligns labels and leaves out what is null', () => {
    expect(
      fields([
        ['id', 'x'],
        ['finished', null],
        ['attempt', 2],
      ]),
    ).toBe('id:      x\nattempt: 2\n');
  });
});

describe('ago', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  it('says how long ago', () => {
    expect(ago('2025-06-01T11:59:50Z', now)).toBe('10s ago');
    expect(ago('2025-06-01T11:00:00Z', now)).toBe('1h ago');
    expect(ago('2025-05-01T11:00:00Z', now)).toBe('2025-05-01');
    expect(ago(null, now)).toBe('-');
  });
});
