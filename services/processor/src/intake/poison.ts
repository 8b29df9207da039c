import type { DeadLetter, JobRequested } from '@longhaul/contracts';
import type { Logger } from '@longhaul/runtime';
import type { AcceptanceReader } from '../acceptances';
import type { ProcessorMetrics } from '../metrics';
import { createEventFactory, errorTypes, jobError } from '../runs/outcomes';
import { persist, publishOwed, type OwedSink } from '../runs/owed-publisher';
import { finalStates, type RunStore } from '../runs/run-store';
import type { Delivery } from './request-intake';

export interface PoisonDeps extends OwedSink {
  readonly store: RunStore;
  readonly acceptances: AcceptanceReader;
  readonly metrics: ProcessorMetrics;
  readonly logger: Logger;
  readonly isStopping: () => boolean;
  readonly deadLetterTopic: string;
}

const JOB_ID = /^[0-9A-Za-z_-]{1,100}$/;

/**
 * A message that cannot run goes to the dead-letter topic with the reason and its bytes; the
 * partition moves on. When the job it was for can still be named (decoded, or its key matches
 * an acceptance record), that job is failed for good, so its client is not left waiting.
 * Returns false when it could not finish (shutdown during an outage): the message stays.
 */
export async function deadLetterPoison(
  deps: PoisonDeps,
  delivery: Delivery,
  reason: string,
  request: JobRequested | null,
): Promise<boolean> {
  deps.metrics.poisonMessages.inc({ topic: delivery.topic });
  const key = delivery.message.key?.toString() ?? '';
  const jobId = request?.jobId ?? (JOB_ID.test(key) ? key : '');
  deps.logger.warn(
    { topic: delivery.topic, partition: delivery.partition, offset: delivery.offset, jobId, reason },
    'poison message',
  );
  const giveUp = () => deps.isStopping() || !delivery.isCurrent();
  const onError = (err: unknown) => deps.logger.warn({ err, jobId }, 'dead-lettering a poison message failed');

  let job = request && { tenant: request.tenant, type: request.jobType };
  if (!job && jobId !== '') {
    const acceptance = await deps.acceptances.get(jobId).catch(() => null);
    if (acceptance && !acceptance.rejected) job = { tenant: acceptance.tenant, type: acceptance.type };
  }
  const letter: DeadLetter = {
    eventId: `poison:${delivery.topic}:${delivery.partition}:${delivery.offset}`,
    eventType: 'DeadLetter',
    jobId,
    tenant: job?.tenant ?? '',
    jobType: job?.type ?? '',
    attempt: request?.attempt ?? 1,
    epoch: 0,
    sequence: 0,
    time: Date.now(),
    reason: reason.slice(0, 2_000),
    errors: [],
    request: request && { payload: request.payload, maxAttempts: request.maxAttempts, timeoutMs: request.timeoutMs },
    source: {
      topic: delivery.topic,
      partition: delivery.partition,
      offset: delivery.offset,
      value: delivery.message.value,
    },
  };
  if (!(await persist(() => publishOwed(deps, [{ event: letter }]), { giveUp, onError }))) return false;
  if (!job) return true;

  const known = job;
  return persist(
    async () => {
      const existing = await deps.store.get(jobId);
      if (existing && !finalStates.has(existing.state)) return; // a valid request for it runs; leave it be
      const record =
        existing ??
        (await deps.store.endIdle(
          { jobId, tenant: known.tenant, type: known.type, attempt: letter.attempt },
          null,
          (epoch) => {
            const make = createEventFactory({
              jobId,
              tenant: known.tenant,
              jobType: known.type,
              attempt: letter.attempt,
              epoch,
            });
            const error = jobError(errorTypes.invalidRequest, 'The request could not be run', reason, false);
            return {
              state: 'failed',
              error: { attempt: letter.attempt, epoch, time: Date.now(), error },
              owed: [
                { event: make('JobFailed', { error }) },
                { event: make('JobDeadLettered', { error, deadLetterTopic: deps.deadLetterTopic }) },
              ],
            };
          },
        )) ??
        (await deps.store.get(jobId));
      if (record) await publishOwed(deps, record.owed);
    },
    { giveUp, onError },
  );
}
