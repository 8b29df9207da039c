import { collections, type Db } from '@longhaul/mongo';
import type { Logger } from '@longhaul/runtime';
import { hourOf, type DeliveryDocument } from '@longhaul/webhooks';

/**
 * Removes finished delivery records past their retention. At start, one scan by `expiresAt`
 * (catching up whatever expired while no notifier ran); then, every `intervalMs`, the hours
 * that have ended since, by equality on `expiresHour` — which FerretDB hands to PostgreSQL.
 * Every replica sweeps; deleting what another already deleted costs nothing.
 */
export function startDeliverySweeper(db: Db, opts: { intervalMs: number; logger: Logger }) {
  const deliveries = db.collection<DeliveryDocument>(collections.webhookDeliveries);
  let swept: number | null = null;
  let running: Promise<void> = Promise.resolve();

  async function sweep(): Promise<void> {
    const now = Date.now();
    let removed = 0;
    if (swept === null) {
      removed += (await deliveries.deleteMany({ expiresHour: { $ne: null }, expiresAt: { $lte: new Date(now) } }))
        .deletedCount;
      swept = hourOf(now) - 1;
    }
    // An hour is swept once it has ended: every record expiring in it is due.
    for (let hour = swept + 1; hour < hourOf(now); hour++) {
      removed += (await deliveries.deleteMany({ expiresHour: hour })).deletedCount;
      swept = hour;
    }
    if (removed > 0) opts.logger.info({ removed }, 'removed expired webhook deliveries');
  }

  const tick = () => {
    running = sweep().catch((err: unknown) => opts.logger.warn({ err }, 'sweeping webhook deliveries failed'));
  };
  tick();
  const timer = setInterval(tick, opts.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
