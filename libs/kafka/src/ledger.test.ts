import { describe, expect, it } from 'vitest';
import { PartitionLedger } from './ledger';

describe('PartitionLedger', () => {
  it('commits only up to the oldest unfinished offset', () => {
    const l = new PartitionLedger();
    for (const o of [10n, 11n, 12n, 13n]) l.track(o);
    l.finish(11n);
    l.finish(13n);
    expect(l.committable()).toBeNull();
    expect(l.size).toBe(4);
    l.finish(10n);
    expect(l.committable()).toBe(12n);
    expect(l.size).toBe(2);
    l.markCommitted(12n);
    expect(l.committable()).toBeNull();
    l.finish(12n);
    expect(l.committable()).toBe(14n);
    expect(l.size).toBe(0);
  });

  it('ignores offsets it does not track and repeated finishes', () => {
    const l = new PartitionLedger();
    l.track(5n);
    l.finish(4n);
    l.finish(5n);
    l.finish(5n);
    expect(l.committable()).toBe(6n);
  });
});
