import type { JobRequested } from '@longhaul/contracts';
import { SpanKind, startSpan, type TracedSpan } from '@longhaul/telemetry';

/**
 * A span per run of an attempt (a takeover is a run of the same attempt under a new epoch), child
 * of the request message's producer span. The events the run publishes carry this span's context,
 * so the projector's and notifier's work follows it in the same trace. None while tracing is off.
 */
export function startRunSpan(
  request: JobRequested,
  lease: { attempt: number; epoch: number; checkpoint: unknown },
  traceHeaders: Record<string, string>,
): TracedSpan | undefined {
  return startSpan(`run ${request.jobType}`, {
    parent: traceHeaders,
    kind: SpanKind.CONSUMER,
    attributes: {
      'longhaul.job.id': request.jobId,
      'longhaul.job.type': request.jobType,
      'longhaul.job.attempt': lease.attempt,
      'longhaul.job.epoch': lease.epoch,
      'longhaul.job.resumed': lease.checkpoint !== null,
    },
  });
}
