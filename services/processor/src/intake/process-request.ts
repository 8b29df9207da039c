import {
  EVENT_TYPE_HEADER,
  PoisonMessageError,
  SchemaRegistryUnavailableError,
  type EventCodec,
  type JobRequested,
  type LonghaulEvent,
} from '@longhaul/contracts';
import type { JobTypeCatalog } from '@longhaul/job-types';
import { traceIdOf } from '@longhaul/telemetry';
import type { AcceptanceReader } from '../acceptances';
import type { PausedTypes } from '../control/paused-types';
import type { HandlerRegistry } from '../handlers';
import { decide } from '../runs/decide';
import { startRun, type LocalRun, type RunDeps, type RunEnd, type RunLease } from '../runs/job-run';
import { cancelled, createEventFactory, DUE_AT_HEADER } from '../runs/outcomes';
import { persist, publishOwed } from '../runs/owed-publisher';
import type { RunRecord } from '../runs/run-store';
import { deadLetterPoison, type PoisonDeps } from './poison';
import { checkRequest } from './request-check';
import type { Delivery } from './request-intake';
import type { Slots } from './slots';

export interface ProcessDeps extends RunDeps, PoisonDeps {
  readonly codec: EventCodec;
  readonly acceptances: AcceptanceReader;
  readonly catalog: JobTypeCatalog;
  readonly handlers: HandlerRegistry;
  /** Requests taken in at once (eachBatch took one for each delivery). */
  readonly intake: Slots;
  /** Handlers running at once: the per-pod concurrency. */
  readonly runSlots: Slots;
  /** This process's runs, by job id. */
  readonly localRuns: Map<string, LocalRun>;
  /** How often a request waiting on another process's run looks at it again. */
  readonly watchEveryMs: number;
  readonly paused: PausedTypes;
  /** Where requests of a paused type wait (the retry topic), so they block nothing behind them. */
  readonly parkingTopic: string;
}

const TRACE_HEADERS = ['traceparent', 'tracestate'];

function traceHeadersOf(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of TRACE_HEADERS) {
    const v = headers?.[name];
    if (Buffer.isBuffer(v) && v.length <= 512) out[name] = v.toString();
  }
  return out;
}

/** The headers a parked copy keeps: the event type and the trace context. */
function forwardedHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out = traceHeadersOf(headers);
  const type = headers?.[EVENT_TYPE_HEADER];
  if (Buffer.isBuffer(type)) out[EVENT_TYPE_HEADER] = type.toString();
  return out;
}

function dueAtOf(headers: Record<string, unknown> | undefined): number {
  const v = headers?.[DUE_AT_HEADER];
  const n = Buffer.isBuffer(v) ? Number(v.toString()) : NaN;
  return Number.isFinite(n) ? n : 0;
}

/** A slot of `slots` this delivery may hold: taken and given back at most once each time. */
interface SlotHold {
  /** Wait for one (no-op when held). */
  take(): Promise<void>;
  release(): void;
}

function slotHold(slots: Slots, held: boolean): SlotHold {
  return {
    async take() {
      if (held) return;
      await slots.acquire();
      held = true;
    },
    release() {
      if (!held) return;
      held = false;
      slots.release();
    },
  };
}

/**
 * What happens to one delivered request: decode and check it, wait until a retry copy is due,
 * then decide from the job's record (see decide.ts) until the message is done — run, skipped,
 * re-announced — or no longer this member's to handle. It holds its intake slot (taken by
 * eachBatch) while it works on the request, and a run slot only from taking the lease until
 * its handler returns: reading and deciding never wait behind running handlers.
 */
export function createRequestProcessor(deps: ProcessDeps): (delivery: Delivery) => void {
  return (delivery) => {
    const intake = slotHold(deps.intake, true);
    const run = slotHold(deps.runSlots, false);
    processDelivery(deps, delivery, intake, run)
      .catch((err: unknown) =>
        deps.logger.error(
          { err, jobId: delivery.message.key?.toString(), offset: delivery.offset },
          'handling a request failed',
        ),
      )
      .finally(() => {
        run.release();
        intake.release();
      });
  };
}

async function processDelivery(deps: ProcessDeps, delivery: Delivery, intake: SlotHold, run: SlotHold): Promise<void> {
  const giveUp = () => deps.isStopping() || !delivery.isCurrent();
  let request: JobRequested;
  try {
    // A registry that does not answer is waited out: the request may be fine, and dead-lettering
    // it as poison would lose it. Given up (stopping, or the partition moved): it is read again.
    let event: LonghaulEvent | undefined;
    const decoded = await persist(
      async () => {
        event = await deps.codec.decode(delivery.message);
      },
      {
        giveUp,
        retryable: (err) => err instanceof SchemaRegistryUnavailableError,
        onError: (err) =>
          deps.logger.warn(
            { err: (err as Error).message, offset: delivery.offset },
            'schema registry unavailable; retrying',
          ),
      },
    );
    if (!decoded || !event) return;
    const checked = checkRequest(event, delivery.message.key, deps.catalog, deps.handlers);
    if (!checked.ok) {
      if (await deadLetterPoison(deps, delivery, checked.reason, checked.request)) delivery.done();
      return;
    }
    request = checked.request;
  } catch (err) {
    if (!(err instanceof PoisonMessageError)) throw err;
    if (await deadLetterPoison(deps, delivery, err.message, null)) delivery.done();
    return;
  }

  const dueAt = dueAtOf(delivery.message.headers);
  if (dueAt > Date.now()) {
    intake.release();
    if (!(await sleepUntil(dueAt, delivery))) return;
  }
  const job = { request, traceHeaders: traceHeadersOf(delivery.message.headers) };
  const logger = deps.logger.child({ jobId: request.jobId, ...traceIdOf(job.traceHeaders) });
  const onError = (err: unknown) => logger.warn({ err }, 'job store unavailable; retrying');

  if (deps.paused.isPaused(request.jobType)) {
    intake.release();
    if (delivery.topic !== deps.parkingTopic) {
      // Park it on the retry topic (as it is), so the other types behind it in this partition go on.
      const parked = await persist(
        () =>
          deps.publish({
            topic: deps.parkingTopic,
            key: request.jobId,
            value: delivery.message.value ?? Buffer.alloc(0),
            headers: { ...forwardedHeaders(delivery.message.headers) },
          }),
        { giveUp, onError },
      );
      if (parked) {
        deps.metrics.parked.inc({ type: request.jobType });
        delivery.done();
      }
      return;
    }
    while (deps.paused.isPaused(request.jobType)) {
      if (!(await sleepUntil(Date.now() + 500, delivery))) return;
    }
    await intake.take();
  }

  // A first attempt is most likely new: look only at its acceptance and act as if it had no
  // run record. That is safe because whatever this leads to inserts the record (start, or end
  // a cancelled job), and the insert fails if one exists; the next pass then reads it.
  let assumeNew = request.attempt === 1 && !deps.localRuns.has(request.jobId);
  while (delivery.isCurrent()) {
    let record: RunRecord | null = null;
    let acceptance: Awaited<ReturnType<AcceptanceReader['get']>> = null;
    const readRecord = !assumeNew;
    assumeNew = false;
    const read = await persist(
      async () => {
        [record, acceptance] = await Promise.all([
          readRecord ? deps.store.get(request.jobId) : null,
          deps.acceptances.get(request.jobId),
        ]);
      },
      { giveUp, onError },
    );
    if (!read) return;
    const decision = decide({
      attempt: request.attempt,
      record,
      acceptance,
      runningHere: deps.localRuns.has(request.jobId),
      now: new Date(),
    });

    switch (decision.kind) {
      case 'rejected':
      case 'stale':
        if (decision.kind === 'stale') logger.info({ why: decision.why }, 'skipping a stale request');
        delivery.done();
        return;
      case 'finished':
      case 'rescheduled': {
        const sent = await persist(() => publishOwed(deps, decision.record.owed, job.traceHeaders), {
          giveUp,
          onError,
        });
        if (sent) delivery.done();
        return;
      }
      case 'cancel': {
        const from = decision.from;
        const ended = await deps.store.endIdle(
          {
            jobId: request.jobId,
            tenant: request.tenant,
            type: request.jobType,
            attempt: from?.attempt ?? request.attempt,
          },
          from,
          (epoch) =>
            cancelled(
              createEventFactory({
                jobId: request.jobId,
                tenant: request.tenant,
                jobType: request.jobType,
                attempt: from?.attempt ?? request.attempt,
                epoch,
              }),
              'cancelled by the client before it ran',
            ),
        );
        if (ended) {
          deps.metrics.jobsCancelled.inc({ type: request.jobType });
          const sent = await persist(() => publishOwed(deps, ended.owed, job.traceHeaders), { giveUp, onError });
          if (sent) delivery.done();
          return;
        }
        continue; // lost a race: look again
      }
      case 'watch': {
        intake.release();
        run.release();
        const wait = Math.min(deps.watchEveryMs, Math.max(50, decision.leaseUntil.getTime() - Date.now() + 50));
        if (!(await sleepUntil(Date.now() + wait, delivery))) return;
        continue;
      }
      case 'attach': {
        intake.release();
        run.release();
        await deps.localRuns.get(request.jobId)?.ended;
        continue;
      }
      case 'start':
      case 'claim': {
        await intake.take();
        // Every handler slot may be busy: wait for one. What was decided still holds, or the
        // lease is not taken: taking it is a compare-and-set against the state read (a job
        // cancelled meanwhile was ended by the cancel listener; one started elsewhere has a
        // record), and losing it means deciding again.
        await run.take();
        if (!delivery.isCurrent()) return;
        const lease = await takeLease(deps, request, decision);
        if (!lease) continue;
        // The run slot is given back once the handler returned; storing and announcing the
        // outcome need none.
        const end = await runHere(deps, job, lease, () => run.release());
        if (end === 'finished') {
          delivery.done();
          return;
        }
        if (deps.isStopping()) return;
        continue; // handed back: someone else has it now, or will after the lease expires
      }
    }
  }
}

async function takeLease(
  deps: ProcessDeps,
  request: JobRequested,
  decision: { kind: 'start' } | { kind: 'claim'; from: RunRecord; takeover: boolean },
): Promise<RunLease | null> {
  const { owner, leaseMs } = deps.settings;
  if (decision.kind === 'start') {
    const job = { jobId: request.jobId, tenant: request.tenant, type: request.jobType, attempt: request.attempt };
    if (!(await deps.store.insertRunning(job, owner, leaseMs))) return null;
    return { attempt: request.attempt, epoch: 1, checkpoint: null, errors: [] };
  }
  const { from } = decision;
  const attempt = decision.takeover ? from.attempt : from.attempt + 1;
  if (!(await deps.store.claim(from, attempt, owner, leaseMs))) return null;
  if (decision.takeover) deps.metrics.takeovers.inc({ type: request.jobType });
  // A takeover: the previous holder may have saved a checkpoint after `from` was read and before
  // the claim moved the epoch on (its saves are fenced by epoch, so none lands after): read the
  // record the claim left, so the run resumes from the newest checkpoint reported durable. A new
  // attempt follows an ended one, whose record nobody writes any more: `from` is current.
  const claimed = decision.takeover ? await deps.store.get(request.jobId) : null;
  const current = claimed && claimed.epoch === from.epoch + 1 && claimed.owner === owner ? claimed : from;
  return { attempt, epoch: from.epoch + 1, checkpoint: current.checkpoint, errors: current.errors };
}

async function runHere(
  deps: ProcessDeps,
  job: { request: JobRequested; traceHeaders: Record<string, string> },
  lease: RunLease,
  onHandlerDone: () => void,
): Promise<RunEnd> {
  const run = startRun(deps, job, lease, onHandlerDone);
  deps.localRuns.set(job.request.jobId, run);
  try {
    return await run.ended;
  } finally {
    if (deps.localRuns.get(job.request.jobId) === run) deps.localRuns.delete(job.request.jobId);
  }
}

/** Sleep until `at`, checking every second that the delivery is still this member's; false if not. */
async function sleepUntil(at: number, delivery: Delivery): Promise<boolean> {
  while (Date.now() < at) {
    if (!delivery.isCurrent()) return false;
    await new Promise((r) => setTimeout(r, Math.min(1_000, at - Date.now())));
  }
  return delivery.isCurrent();
}
