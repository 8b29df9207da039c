import type { Consumer } from 'kafkajs';

/**
 * The offsets of one partition that this member has taken but not committed, in order. An
 * offset is committable once it and every offset before it are finished, so a crash re-delivers
 * exactly the unfinished work and the group's lag counts it.
 */
export class PartitionLedger {
  private readonly entries: { offset: bigint; done: boolean }[] = [];
  private readonly byOffset = new Map<bigint, { offset: bigint; done: boolean }>();
  private committed: bigint | null = null;
  private next: bigint | null = null;

  /** Taken: in flight until finished. Offsets arrive in increasing order. */
  track(offset: bigint): void {
    const entry = { offset, done: false };
    this.entries.push(entry);
    this.byOffset.set(offset, entry);
  }

  finish(offset: bigint): void {
    const entry = this.byOffset.get(offset);
    if (!entry) return;
    entry.done = true;
    while (this.entries[0]?.done) {
      const head = this.entries.shift()!;
      this.byOffset.delete(head.offset);
      this.next = head.offset + 1n;
    }
  }

  /** Taken and not yet committable: finished ones behind an unfinished one count too. */
  get size(): number {
    return this.entries.length;
  }

  /** The offset to commit (the next one to read), if it moved since the last commit. */
  committable(): bigint | null {
    return this.next !== null && this.next !== this.committed ? this.next : null;
  }

  markCommitted(offset: bigint): void {
    this.committed = offset;
  }
}

/** One partition's ledger, as commitLedgers takes it. */
export interface LedgerEntry {
  readonly topic: string;
  readonly partition: number;
  readonly ledger: PartitionLedger;
}

/**
 * Commit every ledger's committable offset in one request. Marked committed only if `isCurrent`
 * still holds afterwards (a rebalance in between makes them another generation's). Returns
 * whether anything was committed; a failed commit is left for the next call.
 */
export async function commitLedgers(
  consumer: Pick<Consumer, 'commitOffsets'>,
  entries: Iterable<LedgerEntry>,
  isCurrent: () => boolean,
): Promise<boolean> {
  const offsets: { topic: string; partition: number; offset: string; ledger: PartitionLedger }[] = [];
  for (const { topic, partition, ledger } of entries) {
    const next = ledger.committable();
    if (next !== null) offsets.push({ topic, partition, offset: next.toString(), ledger });
  }
  if (offsets.length === 0) return false;
  await consumer.commitOffsets(offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset })));
  if (!isCurrent()) return false;
  for (const o of offsets) o.ledger.markCommitted(BigInt(o.offset));
  return true;
}
