import type { Db } from 'mongodb';
import { collections } from './collections';

/**
 * Which collection holds the job read model. The projector writes it and the ingress reads it;
 * a rebuild (services/projector, `rebuild`) fills a fresh collection from the topics and then
 * moves this pointer to it. While `pausedUntil` is in the future the projector members stop
 * consuming, so the rebuild can catch up to exactly where they stopped before the switch.
 */
export interface ReadModelPointer {
  readonly collection: string;
  /** Bumped by every switch (0: never rebuilt). */
  readonly generation: number;
  /** The collection switched away from (dropped by the rebuild shortly after). */
  readonly previous: string | null;
  readonly pausedUntil: Date | null;
  /** The rebuild in progress, if any (its heartbeat proves it alive). */
  readonly rebuild: {
    readonly by: string;
    readonly generation: number;
    readonly collection: string;
    readonly heartbeatAt: Date;
  } | null;
}

export const READ_MODEL_POINTER_ID = 'jobs';

export type ReadModelPointerDoc = ReadModelPointer & { _id: string };

export function initialPointer(collection: string): ReadModelPointer {
  return { collection, generation: 0, previous: null, pausedUntil: null, rebuild: null };
}

/** The pointer as stored, or the initial one (the `jobs` collection) when none is. */
export async function readReadModelPointer(db: Db): Promise<ReadModelPointer> {
  const doc = await db.collection<ReadModelPointerDoc>(collections.readModels).findOne({ _id: READ_MODEL_POINTER_ID });
  if (!doc) return initialPointer(collections.jobs);
  const { _id, ...pointer } = doc;
  void _id;
  return pointer;
}

export function isPaused(pointer: ReadModelPointer, now = new Date()): boolean {
  return pointer.pausedUntil !== null && pointer.pausedUntil.getTime() > now.getTime();
}

export interface ReadModelFollower {
  current(): ReadModelPointer;
  stop(): void;
}

/**
 * Follow the pointer: read it at start and then every `intervalMs`, calling `onChange` when it
 * moved (another collection, or a pause that began or ended). A failed read keeps the last one.
 */
export async function followReadModelPointer(
  db: Db,
  opts: {
    intervalMs: number;
    onChange?: (next: ReadModelPointer, before: ReadModelPointer) => void;
    onError?: (err: unknown) => void;
  },
): Promise<ReadModelFollower> {
  let current = await readReadModelPointer(db);
  const key = (p: ReadModelPointer) => `${p.collection}|${p.generation}|${isPaused(p) ? 'paused' : 'live'}`;
  async function refresh() {
    const next = await readReadModelPointer(db);
    const before = current;
    current = next;
    if (key(next) !== key(before)) opts.onChange?.(next, before);
  }
  const timer = setInterval(() => {
    refresh().catch((err: unknown) => opts.onError?.(err));
  }, opts.intervalMs);
  timer.unref();
  return { current: () => current, stop: () => clearInterval(timer) };
}
