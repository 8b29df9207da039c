import { describe, expect, it } from 'vitest';
import { newId } from './ids';

describe('job ids', () => {
  it('are ULIDs, unique, and sort by creation time', async () => {
    const first = Array.from({ length: 2_000 }, newId);
    await new Promise((r) => setTimeout(r, 5));
    const later = newId();
    expect(first.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
    expect(new Set(first).size).toBe(first.length);
    expect(first.every((id) => id < later)).toBe(true);
    // The random part uses the whole alphabet (no bias towards a few characters).
    expect(new Set(first.flatMap((id) => id.slice(10).split(''))).size).toBe(32);
  });
});
