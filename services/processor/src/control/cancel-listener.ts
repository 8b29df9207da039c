import type { JobCancelRequested } from '@longhaul/contracts';
import type { Logger } from '@longhaul/runtime';
import type { AcceptanceReader } from '../acceptances';
import type { ProcessorMetrics } from '../metrics';
import type { LocalRun } from '../runs/job-run';
import { cancelled, createEventFactory } from '../runs/outcomes';
import { publishOwed, type OwedSink } from '../runs/owed-publisher';
import type { RunStore } from '../runs/run-store';

/**
 * The fast path of cancellation. Every processor reads every cancel request (its own consumer
 * group, from the latest offset): the one running the job aborts the run at once; a job that
 * is queued or waiting for a retry is ended here, by whichever processor wins the compare-and-set.
 * The durable flag on the acceptance record covers a missed broadcast (read at start and renewal).
 */
export function createCancelHandler(
  deps: OwedSink & {
    store: RunStore;
    acceptances: AcceptanceReader;
    localRuns: ReadonlyMap<string, LocalRun>;
    metrics: ProcessorMetrics;
    logger: Logger;
  },
): (message: { value: Buffer | null; headers?: Record<string, unknown> }) => Promise<void> {
  return async (message) => {
    let event;
    try {
      event = await deps.codec.decode(message);
    } catch (err) {
      deps.logger.warn({ err }, 'ignoring an unreadable control message');
      return;
    }
    if (event.eventType !== 'JobCancelRequested') return;
    const request: JobCancelRequested = event;
    const local = deps.localRuns.get(request.jobId);
    if (local) {
      deps.logger.info({ jobId: request.jobId }, 'cancelling a running job');
      local.abort('cancelled');
      return;
    }
    const record = await deps.store.get(request.jobId);
    if (record && record.state !== 'retrying') return; // running elsewhere (its holder aborts it) or final
    const acceptance = await deps.acceptances.get(request.jobId);
    if (!acceptance?.cancelRequested || acceptance.tenant !== request.tenant) return;
    const attempt = record?.attempt ?? 1;
    const ended = await deps.store.endIdle(
      { jobId: request.jobId, tenant: acceptance.tenant, type: acceptance.type, attempt },
      record,
      (epoch) =>
        cancelled(
          createEventFactory({
            jobId: request.jobId,
            tenant: acceptance.tenant,
            jobType: acceptance.type,
            attempt,
            epoch,
          }),
          record ? 'cancelled by the client while waiting for a retry' : 'cancelled by the client before it ran',
        ),
    );
    if (!ended) return; // another processor, or the request itself, got there first
    deps.metrics.jobsCancelled.inc({ type: acceptance.type });
    await publishOwed(deps, ended.owed);
  };
}
