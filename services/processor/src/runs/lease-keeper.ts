import type { Logger } from '@longhaul/runtime';
import type { AcceptanceReader } from '../acceptances';
import type { RunStore } from './run-store';

export interface LeaseKeeper {
  /** Keep this run's lease alive (it was just taken or renewed). */
  hold(jobId: string, hooks: { onLost: () => void; onCancelRequested: () => void }): void;
  drop(jobId: string): void;
  stop(): void;
}

/**
 * Renews the leases of every run of this process in one write every `renewEveryMs`, and reads
 * the durable cancel flags of those jobs in one query. A run whose lease another process now
 * holds — or that could not be renewed for longer than the lease lasts, so it can no longer be
 * sure it holds it — is told it lost the lease and must stop.
 */
export function startLeaseKeeper(deps: {
  store: RunStore;
  acceptances: AcceptanceReader;
  owner: string;
  leaseMs: number;
  renewEveryMs: number;
  logger: Logger;
}): LeaseKeeper {
  const held = new Map<string, { renewedAt: number; onLost: () => void; onCancelRequested: () => void }>();
  let ticking = false;
  let stopped = false;

  async function tick(): Promise<void> {
    if (ticking || stopped || held.size === 0) return;
    ticking = true;
    const ids = [...held.keys()];
    const startedAt = Date.now();
    try {
      const lost = await deps.store.renew(ids, deps.owner, deps.leaseMs);
      const lostSet = new Set(lost);
      for (const id of ids) {
        const h = held.get(id);
        if (!h) continue;
        if (lostSet.has(id)) {
          held.delete(id);
          h.onLost();
        } else h.renewedAt = startedAt;
      }
      for (const id of await deps.acceptances.cancelRequested([...held.keys()])) held.get(id)?.onCancelRequested();
    } catch (err) {
      if (stopped) return; // shutting down: the database may be closing under the last tick
      deps.logger.warn({ err, runs: ids.length }, 'renewing leases failed');
      // Past this point another process may have taken the job over: stop rather than run twice.
      const margin = Math.min(deps.renewEveryMs, deps.leaseMs / 3);
      for (const [id, h] of held) {
        if (Date.now() - h.renewedAt > deps.leaseMs - margin) {
          held.delete(id);
          h.onLost();
        }
      }
    } finally {
      ticking = false;
    }
  }

  const timer = setInterval(() => void tick(), deps.renewEveryMs);
  return {
    hold(jobId, hooks) {
      held.set(jobId, { renewedAt: Date.now(), ...hooks });
    },
    drop(jobId) {
      held.delete(jobId);
    },
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
