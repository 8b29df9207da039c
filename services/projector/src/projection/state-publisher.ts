import type { EventCodec, JobStateChanged } from '@longhaul/contracts';
import type { Publish } from '@longhaul/kafka';
import { startSpan } from '@longhaul/telemetry';
import type { TraceBook } from './trace-book';

/**
 * Announce accepted changes on the state topic. While tracing, each change gets a span, child
 * of the event that caused it, and travels under it: the notifier's deliveries of that change
 * join the job's trace. (The write they came from is one span per batch, linking every event.)
 */
export function createStatePublisher(deps: { codec: EventCodec; publish: Publish; traces: TraceBook }) {
  return async (states: readonly JobStateChanged[]): Promise<void> => {
    const spans = states.map((s) =>
      startSpan(`apply ${s.cause.eventType}`, {
        parent: deps.traces.of(s.cause.eventId),
        attributes: {
          'longhaul.job.id': s.jobId,
          'longhaul.job.type': s.jobType,
          'longhaul.job.status': s.status,
          'longhaul.job.version': s.version,
        },
      }),
    );
    try {
      const encoded = await Promise.all(states.map((s, i) => deps.codec.encode(s, spans[i]?.headers)));
      await Promise.all(encoded.map((m) => deps.publish(m)));
      for (const span of spans) span?.end();
    } catch (err) {
      for (const span of spans) span?.end(err);
      throw err;
    }
  };
}
