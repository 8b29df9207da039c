import type { EventCodec } from '@longhaul/contracts';
import type { Logger } from '@longhaul/runtime';
import { requestedEvent } from './accept-job';
import type { AcceptanceStore } from './acceptance-store';
import type { IngressMetrics } from './metrics';
import type { Publish } from '@longhaul/kafka';

/**
 * Publishes acceptance records left `pending` by a request that died between writing the record
 * and marking it published. It only takes records older than the produce timeout plus a margin
 * (a request still in flight decides its own record) and claims each by compare-and-set, so
 * replicas do not race; a rejected record is never taken. Consumers treat a repeated
 * JobRequested (same event id) as a no-op.
 */
export function startOutboxRelay(deps: {
  acceptances: AcceptanceStore;
  codec: EventCodec;
  publish: Publish;
  metrics: IngressMetrics;
  logger: Logger;
  produceTimeoutMs: number;
  intervalMs?: number;
}): { stop(): Promise<void> } {
  const margin = 5_000;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  async function sweep(): Promise<void> {
    for (let i = 0; i < 100 && !stopped; i++) {
      const olderThan = new Date(Date.now() - deps.produceTimeoutMs - margin);
      const record = await deps.acceptances.claimStranded(olderThan, deps.produceTimeoutMs + margin);
      if (!record) return;
      await deps.publish(await deps.codec.encode(requestedEvent(record), record.request.traceHeaders));
      await deps.acceptances.markPublished(record._id);
      deps.metrics.relayed.inc();
      deps.logger.info({ jobId: record._id }, 'relayed a stranded acceptance');
    }
  }

  const timer = setInterval(() => {
    running = running
      .then(sweep)
      .catch((err: unknown) => deps.logger.warn({ err }, 'outbox relay sweep failed; will retry'));
  }, deps.intervalMs ?? 2_000);
  timer.unref();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
