import { randomUUID } from 'node:crypto';
import type { AttemptError, EventsByType, EventType, JobError, JobRequested } from '@longhaul/contracts';
import { topicNames } from '@longhaul/kafka';
import type { OwedMessage, RunOutcome } from './run-store';

/** The header that says when a retry copy of a request is due (epoch ms). */
export const DUE_AT_HEADER = 'longhaul-due-at';

export const errorTypes = {
  handler: 'urn:longhaul:error:handler',
  timeout: 'urn:longhaul:error:timeout',
  resultTooLarge: 'urn:longhaul:error:result-too-large',
  invalidRequest: 'urn:longhaul:error:invalid-request',
} as const;

/** Who an event is about and in which run: the envelope minus what each event adds. */
export interface RunIdentity {
  readonly jobId: string;
  readonly tenant: string;
  readonly jobType: string;
  readonly attempt: number;
  readonly epoch: number;
}

type Fields<T extends EventType> = Omit<
  EventsByType[T],
  keyof RunIdentity | 'eventId' | 'eventType' | 'sequence' | 'time'
>;

/** Builds a run's events, numbering them: the sequence orders them within the epoch. */
export function createEventFactory(run: RunIdentity, startSequence = 0) {
  let sequence = startSequence;
  return function make<T extends EventType>(type: T, fields: Fields<T>): EventsByType[T] {
    sequence += 1;
    return {
      ...run,
      eventId: randomUUID(),
      eventType: type,
      sequence,
      time: Date.now(),
      ...fields,
    } as unknown as EventsByType[T];
  };
}
export type EventFactory = ReturnType<typeof createEventFactory>;

const detailLimit = 1_000;
const clip = (text: string) => (text.length > detailLimit ? `${text.slice(0, detailLimit)}…` : text);

/** A handler's failure as a problem a client may see; only the message, never a stack. */
export function jobError(type: string, title: string, detail: string | null, retriable: boolean): JobError {
  return { type, title, detail: detail === null ? null : clip(detail), retriable };
}

export function succeeded(make: EventFactory, result: string, durationMs: number): RunOutcome {
  return { state: 'succeeded', owed: [{ event: make('JobSucceeded', { result, durationMs }) }] };
}

export function cancelled(make: EventFactory, reason: string | null): RunOutcome {
  return { state: 'cancelled', owed: [{ event: make('JobCancelled', { reason }) }] };
}

/** The attempt failed and another is due at `dueAt`: announce it and schedule the retry copy. */
export function retrying(
  make: EventFactory,
  request: JobRequested,
  error: AttemptError,
  dueAt: number,
  prefix: string,
  headers: Record<string, string>,
): RunOutcome {
  const copy: JobRequested = { ...request, eventId: randomUUID(), attempt: error.attempt + 1, time: Date.now() };
  return {
    state: 'retrying',
    error,
    owed: [
      { event: make('JobAttemptFailed', { error: error.error, nextAttemptAt: dueAt }) },
      { event: copy, topic: topicNames(prefix).retry, headers: { ...headers, [DUE_AT_HEADER]: String(dueAt) } },
    ],
  };
}

/** No attempt left (or the error is not retriable): failed for good, and dead-lettered. */
export function failedForGood(
  make: EventFactory,
  request: Pick<JobRequested, 'payload' | 'maxAttempts' | 'timeoutMs'> | null,
  error: AttemptError,
  earlier: readonly AttemptError[],
  prefix: string,
): RunOutcome {
  const deadLetterTopic = topicNames(prefix).deadLetters;
  const errors = [...earlier, error];
  const reason = error.error.retriable
    ? `no attempts left (${error.attempt} of ${request?.maxAttempts ?? error.attempt})`
    : `not retriable: ${error.error.title}`;
  const owed: OwedMessage[] = [
    { event: make('JobFailed', { error: error.error }) },
    { event: make('JobDeadLettered', { error: error.error, deadLetterTopic }) },
    {
      event: make('DeadLetter', {
        reason,
        errors,
        request: request && {
          payload: request.payload,
          maxAttempts: request.maxAttempts,
          timeoutMs: request.timeoutMs,
        },
        source: null,
      }),
    },
  ];
  return { state: 'failed', error, owed };
}
