import type { ConsumerRunner, ConsumerRunnerOptions } from '@longhaul/kafka';
import { isPaused, type ReadModelPointer } from '@longhaul/mongo';
import { createServiceConsumer, type ServiceContext } from '@longhaul/runtime';

export interface LiveMember {
  /** Look at the pointer again (call on every change): stop, switch or start as it says. */
  reconcile(pointer: ReadModelPointer): void;
  /** The collection the member writes (the pointer's, as of its last start). */
  collection(): string;
}

/**
 * The projector's group member, following the read-model pointer (libs/mongo). While a rebuild
 * holds the projection paused, the member leaves the group (the batch in hand finishes and its
 * offsets are committed), so the rebuild can catch up to exactly where it stopped. When the
 * pause ends it joins again, on the collection the pointer then names; on a new one it first
 * drops what it cached about the old (`onSwitch`). Transitions run one at a time.
 */
export function createLiveMember(
  opts: {
    runner: Omit<ConsumerRunnerOptions, 'logger' | 'onFatal'>;
    initial: ReadModelPointer;
    onSwitch: (pointer: ReadModelPointer) => void;
  },
  ctx: ServiceContext,
): LiveMember {
  const logger = ctx.logger.child({ component: 'consumer' });
  let runner: ConsumerRunner | null = null;
  let collection = opts.initial.collection;
  let paused = isPaused(opts.initial);
  let stopping = false;
  let chain: Promise<void> = Promise.resolve();

  ctx.readiness.add('projector-group', () => {
    if (paused) return { ok: true, detail: 'paused while the read model is switched' };
    const ok = runner?.isReady() ?? false;
    return { ok, detail: ok ? `member of ${opts.runner.groupId}` : `not a member of ${opts.runner.groupId}` };
  });
  ctx.lifecycle.onShutdown('drain', 'projector-group', async () => {
    stopping = true;
    await chain;
    await runner?.stop();
  });

  async function apply(pointer: ReadModelPointer) {
    if (stopping) return;
    paused = isPaused(pointer);
    if (paused && runner) {
      logger.info({ until: pointer.pausedUntil }, 'read model rebuild: pausing the projection');
      const r = runner;
      runner = null;
      await r.stop();
      return;
    }
    if (paused || runner) return;
    if (pointer.collection !== collection) {
      logger.info({ from: collection, to: pointer.collection, generation: pointer.generation }, 'read model switched');
      collection = pointer.collection;
      opts.onSwitch(pointer);
    }
    runner = createServiceConsumer(opts.runner, ctx);
    await runner.start();
  }

  const member: LiveMember = {
    reconcile(pointer) {
      chain = chain
        .then(() => apply(pointer))
        .catch((err: unknown) => {
          logger.fatal({ err }, 'could not follow the read-model pointer');
          void ctx.lifecycle.shutdown('projector group failed', 1);
        });
    },
    collection: () => collection,
  };
  member.reconcile(opts.initial);
  return member;
}
