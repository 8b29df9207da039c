import { describe, expect, it } from 'vitest';
import { createSlots } from './slots';

describe('slots', () => {
  it('hands a released slot to a waiter, and gives up on a wait past its time', async () => {
    const slots = createSlots(1);
    expect(slots.tryAcquire()).toBe(true);
    expect(slots.tryAcquire()).toBe(false);
    const timedOut = slots.acquireWithin(20);
    expect(await timedOut).toBe(false);
    const waiting = slots.acquireWithin(1_000);
    slots.release();
    expect(await waiting).toBe(true);
    expect(slots.inUse).toBe(1);
    slots.release();
    expect(slots.inUse).toBe(0);
  });

  it('tells listeners when a slot frees up', () => {
    const slots = createSlots(2);
    let freed = 0;
    slots.onFree(() => (freed += 1));
    slots.tryAcquire();
    slots.release();
    expect(freed).toBe(1);
  });
});
