import { createGroupCommit } from '@longhaul/batching';
import { PoisonMessageError, type EventCodec } from '@longhaul/contracts';
import type { EachBatchPayload } from '@longhaul/kafka';
import type { Logger } from '@longhaul/runtime';
import { startSpan } from '@longhaul/telemetry';
import { isProjected, type ProjectedEvent } from '../projection/apply-event';
import type { EventProjection, ProjectionOutcome } from '../projection/project-events';
import type { TraceBook } from '../projection/trace-book';
import type { ProjectorMetrics } from '../metrics';

type KafkaMessages = EachBatchPayload['batch']['messages'];

export interface EventIntakeDeps {
  readonly codec: EventCodec;
  readonly project: EventProjection;
  readonly metrics: ProjectorMetrics;
  readonly logger: Logger;
  /** Where each event's trace context is kept while its batch is written (the live projector's). */
  readonly traces?: TraceBook;
  /** Partition batches that go into one bulk write at most. */
  readonly maxBatchesPerWrite?: number;
  readonly retryDelayMs?: { first: number; max: number };
  /**
   * Apply only messages below this offset of a partition (null: no bound). A rebuild uses it to
   * stop exactly where the live projector stopped; messages past it are left unresolved and
   * fetched again later.
   */
  readonly bound?: (topic: string, partition: number) => bigint | null;
}

/**
 * The consumer side: decode each fetched batch, hand it to the projection (batches of several
 * partitions that arrive while a write is in flight share the next one), and resolve the batch's
 * offsets only once its events are durably written and announced. A failed write (the database
 * or Kafka is down) is retried until it succeeds or the member leaves the group, so the
 * projector stops where it is and goes on from there: nothing is skipped.
 */
export function createEventIntake(deps: EventIntakeDeps) {
  const { metrics, logger } = deps;
  const retry = deps.retryDelayMs ?? { first: 200, max: 5_000 };
  const writes = createGroupCommit<ProjectedEvent[], ProjectionOutcome>(
    async (batches) => {
      const events = batches.flat();
      const started = process.hrtime.bigint();
      // One span per write, linked to every event it applies (each change gets its own span,
      // child of its event, when it is announced: see state-publisher.ts).
      const span = startSpan('project events', {
        links: events.map((e) => deps.traces?.of(e.eventId)),
        attributes: { 'longhaul.events': events.length, 'longhaul.jobs': new Set(events.map((e) => e.jobId)).size },
      });
      let outcome: ProjectionOutcome;
      try {
        outcome = await (span ? span.run(() => deps.project(events)) : deps.project(events));
        span?.end();
      } catch (err) {
        span?.end(err);
        throw err;
      }
      metrics.writeSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
      metrics.batchEvents.observe(events.length);
      const appliedAt = Date.now();
      for (const e of outcome.applied) {
        metrics.eventsApplied.inc({ event_type: e.eventType });
        metrics.projectionLagSeconds.observe(Math.max(0, appliedAt - e.time) / 1_000);
      }
      for (const { reason } of outcome.ignored) metrics.eventsIgnored.inc({ reason });
      metrics.statesPublished.inc(outcome.published);
      return batches.map(() => outcome);
    },
    { maxBatch: deps.maxBatchesPerWrite ?? 64 },
  );

  async function decode(payload: EachBatchPayload, messages: KafkaMessages) {
    const { batch } = payload;
    const events: ProjectedEvent[] = [];
    for (const message of messages) {
      try {
        const event = await deps.codec.decode(message);
        if (isProjected(event)) {
          deps.traces?.note(event.eventId, message.headers);
          events.push(event);
        } else metrics.eventsIgnored.inc({ reason: 'not-projected' });
      } catch (err) {
        if (!(err instanceof PoisonMessageError)) throw err;
        // Only the processors and ingress write these topics: a message that is not an event is
        // a bug elsewhere. It is counted and skipped (its contents are not logged), never retried.
        metrics.eventsIgnored.inc({ reason: 'poison' });
        logger.warn(
          { topic: batch.topic, partition: batch.partition, offset: message.offset, reason: err.message },
          'skipped a message that is not a Longhaul event',
        );
      }
    }
    return events;
  }

  return {
    async eachBatch(payload: EachBatchPayload): Promise<void> {
      const { batch } = payload;
      const limit = deps.bound?.(batch.topic, batch.partition) ?? null;
      const messages = limit === null ? batch.messages : batch.messages.filter((m) => BigInt(m.offset) < limit);
      if (messages.length === 0) {
        // At the bound (or an empty batch): nothing to apply yet; look again in a moment.
        if (limit !== null && batch.messages.length > 0) await new Promise((r) => setTimeout(r, 200));
        await payload.heartbeat();
        return;
      }
      metrics.messagesConsumed.inc({ topic: batch.topic }, messages.length);
      const events = await decode(payload, messages);
      try {
        await applyBatch(payload, messages, events);
      } finally {
        deps.traces?.forget(events.map((e) => e.eventId));
      }
    },
    /** Wait for the write in flight (shutdown). */
    drain: () => writes.drain(),
  };

  /** Write the batch's events (retrying while the member holds the partition), then resolve its offsets. */
  async function applyBatch(payload: EachBatchPayload, messages: KafkaMessages, events: ProjectedEvent[]) {
    const { batch } = payload;
    for (let delay = retry.first; ; delay = Math.min(delay * 2, retry.max)) {
      if (!payload.isRunning() || payload.isStale()) return;
      try {
        if (events.length > 0) await writes.submit(events);
        break;
      } catch (err) {
        metrics.writeFailures.inc();
        logger.warn(
          { err, topic: batch.topic, partition: batch.partition, retryInMs: delay },
          'could not apply a batch; retrying',
        );
        await new Promise((r) => setTimeout(r, delay));
        await payload.heartbeat();
      }
    }
    const last = messages[messages.length - 1]!.offset;
    payload.resolveOffset(last);
    await payload.heartbeat();
  }
}
