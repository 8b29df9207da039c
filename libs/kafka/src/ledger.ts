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
