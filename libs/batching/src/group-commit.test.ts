import { describe, expect, it } from 'vitest';
import { createGroupCommit } from './group-commit';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('group commit', () => {
  it('flushes a lone item at once, and groups what arrives during a flush', async () => {
    const batches: number[][] = [];
    const gc = createGroupCommit<number, string>(
      async (items) => {
        batches.push(items);
        await tick();
        return items.map((i) => `ok ${i}`);
      },
      { maxBatch: 100 },
    );
    const first = gc.submit(1);
    const rest = [2, 3, 4].map((i) => gc.submit(i));
    expect(await first).toBe('ok 1');
    expect(await Promise.all(rest)).toEqual(['ok 2', 'ok 3', 'ok 4']);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('caps batches, fails items one by one or a whole batch, and drains', async () => {
    const gc = createGroupCommit<number, number>(
      async (items) => {
        await tick();
        if (items.includes(99)) throw new Error('store down');
        return items.map((i) => (i % 2 === 0 ? new Error(`bad ${i}`) : i));
      },
      { maxBatch: 2 },
    );
    const results = await Promise.allSettled([1, 2, 3, 5, 7].map((i) => gc.submit(i)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      1,
      'bad 2',
      3,
      5,
      7,
    ]);
    const down = gc.submit(99);
    await expect(down).rejects.toThrow('store down');
    await gc.drain();
  });
});
