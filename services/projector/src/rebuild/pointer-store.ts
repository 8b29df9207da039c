import {
  collections,
  initialPointer,
  readReadModelPointer,
  READ_MODEL_POINTER_ID,
  type Db,
  type ReadModelPointer,
  type ReadModelPointerDoc,
} from '@longhaul/mongo';

/** A rebuild whose heartbeat is older than this is taken to be dead, and another may start. */
const REBUILD_STALE_MS = 60_000;

/**
 * The rebuild's writes to the read-model pointer (libs/mongo). Each is conditional on the
 * rebuild still holding its claim (`rebuild.by`), so a rebuild taken for dead can change nothing.
 */
export function createPointerStore(db: Db, by: string) {
  const pointers = db.collection<ReadModelPointerDoc>(collections.readModels);
  const ours = { _id: READ_MODEL_POINTER_ID, 'rebuild.by': by };
  const mustHold = (matched: number) => {
    if (matched !== 1) throw new Error('this rebuild no longer holds the read-model pointer (another took it over)');
  };
  return {
    read: () => readReadModelPointer(db),

    /** Claim the pointer for a rebuild into `collection` as the next generation; the pointer as it was. */
    async claim(): Promise<{ pointer: ReadModelPointer; generation: number; collection: string }> {
      await pointers
        .insertOne({ _id: READ_MODEL_POINTER_ID, ...initialPointer(collections.jobs) })
        .catch((err: { code?: number }) => {
          if (err.code !== 11000) throw err;
        });
      const pointer = await this.read();
      const running = pointer.rebuild;
      if (running && running.heartbeatAt.getTime() > Date.now() - REBUILD_STALE_MS)
        throw new Error(`another rebuild (${running.by}, into ${running.collection}) is running`);
      const generation = pointer.generation + 1;
      const collection = `${collections.jobs}_g${generation}`;
      const res = await pointers.updateOne(
        {
          _id: READ_MODEL_POINTER_ID,
          generation: pointer.generation,
          ...(running ? { 'rebuild.by': running.by, 'rebuild.heartbeatAt': running.heartbeatAt } : { rebuild: null }),
        },
        { $set: { rebuild: { by, generation, collection, heartbeatAt: new Date() } } },
      );
      if (res.matchedCount !== 1) throw new Error('another rebuild claimed the read-model pointer at the same time');
      return { pointer, generation, collection };
    },

    /** Prove this rebuild alive; with `pausedUntil`, hold the live projection paused until then. */
    async heartbeat(pausedUntil: Date | null) {
      const res = await pointers.updateOne(ours, {
        $set: { 'rebuild.heartbeatAt': new Date(), ...(pausedUntil ? { pausedUntil } : {}) },
      });
      mustHold(res.matchedCount);
    },

    /** Point readers and the projector at the rebuilt collection, and end the pause. */
    async switchTo(next: { collection: string; generation: number; previous: string }) {
      const res = await pointers.updateOne(ours, {
        $set: { ...next, pausedUntil: null, rebuild: null },
      });
      mustHold(res.matchedCount);
    },

    /** Give the pointer up without switching (an aborted rebuild): the live projection goes on. */
    async release() {
      await pointers.updateOne(ours, { $set: { pausedUntil: null, rebuild: null } });
    },

    async forgetPrevious(previous: string) {
      await pointers.updateOne({ _id: READ_MODEL_POINTER_ID, previous }, { $set: { previous: null } });
    },
  };
}
