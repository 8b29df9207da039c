import { describe, expect, it } from 'vitest';
import { persist } from './owed-publisher';

describe('persist', () => {
  it('retries what fails until it succeeds', async () => {
    let calls = 0;
    const errors: unknown[] = [];
    const ok = await persist(() => (++calls < 3 ? Promise.reject(new Error('down')) : Promise.resolve()), {
      giveUp: () => false,
      onError: (err) => errors.push(err),
    });
    expect(ok).toBe(true);
    expect(calls).toBe(3);
    expect(errors).toHaveLength(2);
  });

  it('throws at once an error that is not retryable, and retries the rest', async () => {
    let calls = 0;
    const op = () => Promise.reject(new Error(++calls === 1 ? 'transient' : 'poison'));
    await expect(
      persist(op, {
        giveUp: () => false,
        onError: () => undefined,
        retryable: (e) => (e as Error).message === 'transient',
      }),
    ).rejects.toThrow('poison');
    expect(calls).toBe(2);
  });

  it('gives up when told to', async () => {
    expect(
      await persist(() => Promise.reject(new Error('down')), { giveUp: () => true, onError: () => undefined }),
    ).toBe(false);
  });
});
