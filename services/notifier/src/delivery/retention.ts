import { collections, type Db } from '@longhaul/mongo';
import type { Logger } from '@longhaul/runtime';
import { hourOf } from '@longhaul/contracts';
import type { DeliveryDocument } from '@longhaul/webhooks';

/**
 * Removes finished delivery records past their retention: every `intervalMs`, the hours that
 * have ended since the last sweep, by equality on `expiresHour` — which FerretDB hands to
 * PostgreSQL. Once a day (the first time one interval after start, not during start-up) a scan
 * by `expiresAt` catches up whatever expired while no notifier ran; FerretDB reads every record
 * for it. Every replica sweeps; deleting what another already deleted costs nothing.
 */
const CATCH_UP_EVERY_MS = 86_400_000;

export function startDeliverySweeper(db: Db, opts: { intervalMs: number; logger: Logger }) {
  const deliveries = db.collection<DeliveryDocument>(collections.webhookDeliveries);
  let swept = hourOf(Date.now()) - 2;
  let catchUpAt = Date.now() + opts.intervalMs;
  let running: Promise<void> = Promise.resolve();

  async function sweep(): Promise<void> {
    const now = Date.now();
    let removed = 0;
    if (now >= catchUpAt) {
      removed += (await deliveries.deleteMany({ expiresHour: { $ne: null }, expiresAt: { $lte: new Date(now) } }))
        .deletedCount;
      catchUpAt = now + CATCH_UP_EVERY_MS;
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
  const timer = setInterval(tick, opts.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
