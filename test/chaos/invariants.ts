import type { LonghaulEvent } from '@longhaul/contracts';
import type { DeliveryDocument } from '@longhaul/webhooks';
import type { ReceivedWebhook } from '../helpers/receivers';
import type { AcceptedJob } from './client';

/** What the run saw, gathered at its end. */
export interface Evidence {
  readonly jobs: readonly AcceptedJob[];
  /** Per job: its distinct events in the order read (per job, the order published). */
  readonly eventsOf: (jobId: string) => LonghaulEvent[];
  /** Per job: the final GET /v1/jobs/{id} body. */
  readonly finalView: ReadonlyMap<string, { status: string; result: unknown }>;
  /** Every request each receiver got, by receiver URL. */
  readonly received: ReadonlyMap<string, readonly ReceivedWebhook[]>;
  /** The URL of the tenant-wide subscription's receiver (every job's terminal event goes there too). */
  readonly subscriptionReceiver: string;
  /** Every delivery record (state `dead`: failed every attempt, the dead-letter list). */
  readonly deliveries: readonly Pick<DeliveryDocument, 'jobId' | 'url' | 'eventType' | 'state' | 'attempts' | 'log'>[];
}

export interface Tally {
  interruptedReports: number;
  resumedFromCheckpoint: number;
  takeovers: number;
  failedAttempts: number;
  webhookDuplicatesSuppressed: number;
  /** Run events read after the job's end but older than it (late copies, not runs). */
  lateRunEvents: number;
  deadLetteredWebhooks: number;
}

const TERMINAL: Record<string, string> = {
  JobSucceeded: 'succeeded',
  JobFailed: 'failed',
  JobCancelled: 'cancelled',
};

const stepsDone = (summary: string | null | undefined) =>
  Number(/^(\d+) of \d+ steps done/.exec(summary ?? '')?.[1] ?? 0);

/** Every invariant of DESIGN.md that can be checked from outside; each breach is one line. */
export function checkInvariants(e: Evidence): { violations: string[]; tally: Tally } {
  const violations: string[] = [];
  const tally: Tally = {
    interruptedReports: 0,
    resumedFromCheckpoint: 0,
    takeovers: 0,
    failedAttempts: 0,
    webhookDuplicatesSuppressed: 0,
    lateRunEvents: 0,
    deadLetteredWebhooks: e.deliveries.filter((d) => d.state === 'dead').length,
  };
  const delivered = deliveredBy(e.received, tally);
  const records = new Map(e.deliveries.map((d) => [`${d.url}|${d.jobId}|${d.eventType}`, d]));

  for (const job of e.jobs) {
    const events = e.eventsOf(job.id);
    const view = e.finalView.get(job.id);
    // Exactly one terminal state, the one GET shows.
    const terminal = events.filter((ev) => ev.eventType in TERMINAL);
    if (terminal.length !== 1) {
      violations.push(
        `job ${job.id} (${job.type}) has ${terminal.length} terminal events: ${terminal.map((t) => t.eventType).join(', ')}`,
      );
      continue;
    }
    const status = TERMINAL[terminal[0]!.eventType]!;
    if (view?.status !== status) violations.push(`job ${job.id}: GET says ${view?.status}, its events say ${status}`);
    // Nothing ran after the terminal event: no run event newer than it by the ordering rule
    // (epoch, then sequence). A run event read after it but older by that rule is a late copy
    // of something that happened before the end (a producer's retry delivered after another
    // process re-announced the outcome), which every consumer ignores as stale; it is counted.
    const end = terminal[0]!;
    const runEvents = events.filter((ev) => ['JobStarted', 'JobProgressed', 'JobCheckpointed'].includes(ev.eventType));
    const newer = (ev: LonghaulEvent) => ev.epoch > end.epoch || (ev.epoch === end.epoch && ev.sequence > end.sequence);
    const ranAgain = runEvents.filter(newer);
    tally.lateRunEvents += events
      .slice(events.indexOf(end) + 1)
      .filter((ev) => runEvents.includes(ev) && !newer(ev)).length;
    if (ranAgain.length > 0)
      violations.push(
        `job ${job.id} ran again after ${status} (epoch ${end.epoch}, sequence ${end.sequence}): ` +
          ranAgain.map((x) => `${x.eventType} (epoch ${x.epoch}, sequence ${x.sequence})`).join(', '),
      );
    const starts = events.filter((ev) => ev.eventType === 'JobStarted');
    // A takeover runs the same attempt again (a new epoch); a retry is a new attempt.
    tally.takeovers += starts.filter((s, i) => i > 0 && s.attempt === starts[i - 1]!.attempt).length;
    tally.failedAttempts += events.filter((ev) => ev.eventType === 'JobAttemptFailed').length;
    if (job.type === 'report.generate' && status === 'succeeded')
      checkResumes(job.id, events, view?.result, violations, tally);
    // Its own webhook and the tenant subscription each got the terminal event, or it is dead-lettered.
    const webhookType = `job.${status}`;
    for (const url of [job.receiver, e.subscriptionReceiver]) {
      const key = `${url}|${job.id}|${webhookType}`;
      const record = records.get(key);
      if (!delivered.has(key) && record?.state !== 'dead') {
        const seen = record
          ? `its delivery is ${record.state} after ${record.attempts} attempt(s): ${JSON.stringify(record.log.slice(-3))}`
          : 'no delivery was recorded';
        violations.push(`job ${job.id}: ${url} never got ${webhookType}, and it is not dead-lettered; ${seen}`);
      }
    }
  }
  return { violations, tally };
}

/** A resumed report starts at or after every step checkpointed before its run started. */
function checkResumes(id: string, events: LonghaulEvent[], result: unknown, violations: string[], tally: Tally) {
  const runs = (result as { runs?: { fromStep: number }[] } | undefined)?.runs ?? [];
  let done = 0;
  let run = 0;
  for (const ev of events) {
    if (ev.eventType === 'JobCheckpointed') done = Math.max(done, stepsDone(ev.summary));
    if (ev.eventType !== 'JobStarted') continue;
    if (run > 0) {
      tally.interruptedReports += run === 1 ? 1 : 0;
      const from = runs[run]?.fromStep;
      if (from === undefined)
        violations.push(`report ${id}: run ${run + 1} started but its result lists ${runs.length} runs`);
      else if (from < done)
        violations.push(`report ${id}: run ${run + 1} started at step ${from} though step ${done} was checkpointed`);
      else if (from > 0) tally.resumedFromCheckpoint++;
    }
    run++;
  }
}

/** (url, job, event type) of every webhook a receiver accepted; repeats of a webhook-id counted as suppressed duplicates. */
function deliveredBy(received: ReadonlyMap<string, readonly ReceivedWebhook[]>, tally: Tally): Set<string> {
  const out = new Set<string>();
  for (const [url, list] of received) {
    const ids = new Set<string>();
    for (const w of list) {
      if (!w.accepted) continue;
      const id = String(w.headers['webhook-id'] ?? '');
      if (ids.has(id)) {
        tally.webhookDuplicatesSuppressed++;
        continue;
      }
      ids.add(id);
      const body = JSON.parse(w.body) as { type: string; data: { id: string } };
      out.add(`${url}|${body.data.id}|${body.type}`);
    }
  }
  return out;
}
