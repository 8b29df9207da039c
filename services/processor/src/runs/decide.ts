import { finalStates, type RunRecord } from './run-store';

/** What the processor knows when a request (or its retry copy) for attempt `attempt` arrives. */
export interface DecisionInput {
  readonly attempt: number;
  readonly record: RunRecord | null;
  /** From the acceptance record ingress wrote; null when there is none (nothing to check). */
  readonly acceptance: { readonly rejected: boolean; readonly cancelRequested: boolean } | null;
  /** This process already runs the job (a redelivery after a rebalance that gave the partition back). */
  readonly runningHere: boolean;
  readonly now: Date;
}

export type Decision =
  /** Nobody has seen the job: start its first run. */
  | { kind: 'start' }
  /** Take the lease from the record as read: a takeover (same attempt) or the next attempt. */
  | { kind: 'claim'; from: RunRecord; takeover: boolean }
  /** Another run holds a live lease: keep the offset, look again later. */
  | { kind: 'watch'; leaseUntil: Date }
  /** This process runs it: the message is done when that run is. */
  | { kind: 'attach' }
  /** Final: re-publish what announces it (a crash may have come between storing and publishing). */
  | { kind: 'finished'; record: RunRecord }
  /** Waiting for its retry: re-publish the retry copy and the event (same reason). */
  | { kind: 'rescheduled'; record: RunRecord }
  /** Cancelled before it (re)started: end it without running. */
  | { kind: 'cancel'; from: RunRecord | null }
  /** Ingress answered 503 for it: it was never accepted and must not run. */
  | { kind: 'rejected' }
  /** An older copy (an earlier attempt's request): nothing to do. */
  | { kind: 'stale'; why: string };

/**
 * The one place that says what a delivered request means, given the job's record. Pure, so
 * every race (redelivery, retry copy, takeover, cancel) is decided the same way and tested.
 */
export function decide(input: DecisionInput): Decision {
  const { attempt, record, acceptance } = input;
  if (acceptance?.rejected) return { kind: 'rejected' };
  const cancelled = acceptance?.cancelRequested ?? false;
  if (record === null) return cancelled ? { kind: 'cancel', from: null } : { kind: 'start' };
  if (finalStates.has(record.state)) return { kind: 'finished', record };
  if (attempt < record.attempt) return { kind: 'stale', why: `attempt ${attempt} is older than ${record.attempt}` };

  if (record.state === 'running') {
    if (attempt > record.attempt) return { kind: 'stale', why: `attempt ${attempt} is ahead of the running one` };
    if (input.runningHere) return { kind: 'attach' };
    const leaseUntil = record.leaseUntil ?? new Date(0);
    if (leaseUntil > input.now) return { kind: 'watch', leaseUntil };
    return cancelled ? { kind: 'cancel', from: record } : { kind: 'claim', from: record, takeover: true };
  }

  // retrying: the record's attempt failed and attempt + 1 is scheduled.
  if (attempt === record.attempt) return { kind: 'rescheduled', record };
  if (attempt === record.attempt + 1) {
    return cancelled ? { kind: 'cancel', from: record } : { kind: 'claim', from: record, takeover: false };
  }
  return { kind: 'stale', why: `attempt ${attempt} was never scheduled (next is ${record.attempt + 1})` };
}
