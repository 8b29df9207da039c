import { randomUUID } from 'node:crypto';
import {
  AbortRunError,
  backoffMs,
  NonRetryableError,
  type AbortCause,
  type JobContext,
  type JobTypeCatalog,
} from '@longhaul/job-types';
import type { AttemptError, JobRequested } from '@longhaul/contracts';
import type { Logger } from '@longhaul/runtime';
import { traceIdOf, type TracedSpan } from '@longhaul/telemetry';
import type { ProcessorMetrics } from '../metrics';
import type { HandlerRegistry } from '../handlers';
import type { LeaseKeeper } from './lease-keeper';
import {
  cancelled,
  createEventFactory,
  errorTypes,
  failedForGood,
  jobError,
  retrying,
  succeeded,
  type EventFactory,
} from './outcomes';
import { persist, publishOwed, type OwedSink } from './owed-publisher';
import { startRunSpan } from './run-span';
import type { OwedMessage, RunOutcome, RunStore, StoredCheckpoint } from './run-store';

export interface RunSettings {
  readonly owner: string;
  readonly leaseMs: number;
  /** How long a handler may take to stop after its signal fires before the run moves on without it. */
  readonly abortGraceMs: number;
  readonly maxResultBytes: number;
  readonly maxCheckpointBytes: number;
  readonly progressIntervalMs: number;
  readonly topicPrefix: string;
}

export interface RunDeps extends OwedSink {
  readonly store: RunStore;
  readonly leases: LeaseKeeper;
  readonly handlers: HandlerRegistry;
  readonly catalog: JobTypeCatalog;
  readonly metrics: ProcessorMetrics;
  readonly logger: Logger;
  readonly settings: RunSettings;
  readonly isStopping: () => boolean;
}

/** How a run ended for the message that started it: done, or handed back (lease lost, shutdown). */
export type RunEnd = 'finished' | 'handed-back';

export interface LocalRun {
  readonly jobId: string;
  abort(cause: AbortCause): void;
  readonly ended: Promise<RunEnd>;
}

export interface RunLease {
  readonly attempt: number;
  readonly epoch: number;
  readonly checkpoint: StoredCheckpoint | null;
  readonly errors: readonly AttemptError[];
}

/**
 * Run one attempt of a job under a lease just taken: handler, events, outcome, in that order.
 * `onHandlerDone` is called once the handler has returned (or was abandoned): what is left —
 * storing the outcome, announcing it — no longer needs one of the process's slots, which bound
 * the handlers running at once. (Runs storing an outcome are bounded too: each came from a slot,
 * and while the database does not answer, no new run can claim its job either.)
 */
export function startRun(
  deps: RunDeps,
  job: { request: JobRequested; traceHeaders: Record<string, string> },
  lease: RunLease,
  onHandlerDone: () => void = () => undefined,
): LocalRun {
  const { request } = job;
  const { settings } = deps;
  const holder = { owner: settings.owner, epoch: lease.epoch };
  const span = startRunSpan(request, lease, job.traceHeaders);
  // With a span, the logger adds its trace_id to each line itself (the span is active in the run).
  const logger = deps.logger.child({
    jobId: request.jobId,
    attempt: lease.attempt,
    epoch: lease.epoch,
    ...(span ? {} : traceIdOf(job.traceHeaders)),
  });
  const controller = new AbortController();
  const abort = (cause: AbortCause) => {
    if (!controller.signal.aborted) controller.abort(new AbortRunError(cause));
  };
  let leaseLost = false;
  deps.leases.hold(request.jobId, {
    onLost: () => {
      leaseLost = true;
      abort('lease-lost');
    },
    onCancelRequested: () => abort('cancelled'),
  });

  const make = createEventFactory({
    jobId: request.jobId,
    tenant: request.tenant,
    jobType: request.jobType,
    attempt: lease.attempt,
    epoch: lease.epoch,
  });
  const events = createEventChain(
    deps,
    span?.headers ?? job.traceHeaders,
    logger,
    () => leaseLost || deps.isStopping(),
    span,
  );

  const execute = async (): Promise<RunEnd> => {
    const startedAt = Date.now();
    deps.metrics.jobsStarted.inc({ type: request.jobType });
    if (lease.attempt === 1 && lease.epoch === 1) {
      deps.metrics.queueWait.observe({ type: request.jobType }, Math.max(0, startedAt - request.time) / 1000);
    }
    deps.metrics.inFlight.inc();
    void events.send([
      { event: make('JobStarted', { worker: settings.owner, resumedFromCheckpoint: lease.checkpoint !== null }) },
    ]);
    const timeout = setTimeout(() => abort('timeout'), request.timeoutMs);
    let outcome: RunOutcome | 'handed-back';
    try {
      outcome = await runHandler(deps, job.request, lease, make, events, controller.signal, logger, holder);
    } finally {
      clearTimeout(timeout);
      deps.leases.drop(request.jobId);
      events.stopProgress();
      deps.metrics.inFlight.dec();
      onHandlerDone();
    }
    if (outcome === 'handed-back') {
      if (!leaseLost) await deps.store.release(request.jobId, holder).catch(() => undefined);
      logger.info({ cause: (controller.signal.reason as AbortRunError | undefined)?.abortCause }, 'run handed back');
      return 'handed-back';
    }
    const end = outcome;
    const token = randomUUID();
    const stored = await persist(
      async () => {
        if (!(await deps.store.finish(request.jobId, holder, end, lease.errors, token))) leaseLost = true;
      },
      {
        giveUp: () => leaseLost || deps.isStopping(),
        onError: (err) => logger.warn({ err }, 'storing the outcome failed'),
      },
    );
    if (!stored || leaseLost) return 'handed-back';
    deps.metrics.jobDuration.observe({ type: request.jobType, outcome: end.state }, (Date.now() - startedAt) / 1000);
    countOutcome(deps.metrics, request.jobType, end);
    logger.info({ outcome: end.state, ms: Date.now() - startedAt }, 'run ended');
    span?.set({ 'longhaul.job.outcome': end.state });
    return (await events.send(end.owed, true)) ? 'finished' : 'handed-back';
  };
  // Inside the span: the store's and the handler's calls and every log line belong to this run.
  const ended = span
    ? span.run(execute).then(
        (end) => {
          span.set({ 'longhaul.run.end': end });
          span.end();
          return end;
        },
        (err: unknown) => {
          span.end(err);
          throw err;
        },
      )
    : execute();

  return { jobId: request.jobId, abort, ended };
}

function countOutcome(metrics: ProcessorMetrics, type: string, end: RunOutcome): void {
  if (end.state === 'succeeded') metrics.jobsSucceeded.inc({ type });
  else if (end.state === 'retrying') metrics.jobsRetried.inc({ type });
  else if (end.state === 'cancelled') metrics.jobsCancelled.inc({ type });
  else if (end.state === 'failed') {
    metrics.jobsFailed.inc({ type });
    metrics.jobsDeadLettered.inc({ type });
  }
}

/** Call the handler with its context and turn whatever happens into an outcome. */
async function runHandler(
  deps: RunDeps,
  request: JobRequested,
  lease: RunLease,
  make: EventFactory,
  events: EventChain,
  signal: AbortSignal,
  logger: Logger,
  holder: { owner: string; epoch: number },
): Promise<RunOutcome | 'handed-back'> {
  const { settings } = deps;
  const startedAt = Date.now();
  const handler = deps.handlers.get(request.jobType);
  const failure = (type: string, title: string, detail: string | null, retriable: boolean): AttemptError => ({
    attempt: lease.attempt,
    epoch: lease.epoch,
    time: Date.now(),
    error: jobError(type, title, detail, retriable),
  });
  if (!handler) {
    return failedOutcome(
      deps,
      request,
      lease,
      make,
      failure(errorTypes.invalidRequest, 'No handler for this job type', request.jobType, false),
    );
  }
  const ctx: JobContext = {
    jobId: request.jobId,
    tenant: request.tenant,
    type: request.jobType,
    attempt: lease.attempt,
    epoch: lease.epoch,
    lastCheckpoint: lease.checkpoint ? (JSON.parse(lease.checkpoint.state) as unknown) : null,
    signal,
    logger,
    progress: (percent, stage, message) => events.progress(make, percent, stage, message),
    checkpoint: async (state, summary) => {
      signal.throwIfAborted();
      const text = JSON.stringify(state);
      if (text.length > settings.maxCheckpointBytes) {
        throw new NonRetryableError(
          `checkpoint of ${text.length} bytes is over the ${settings.maxCheckpointBytes}-byte limit`,
        );
      }
      const checkpoint: StoredCheckpoint = {
        state: text,
        summary: summary?.slice(0, 500) ?? null,
        attempt: lease.attempt,
        epoch: lease.epoch,
        at: new Date(),
      };
      let held = true;
      await persist(
        async () => {
          held = await deps.store.saveCheckpoint(request.jobId, holder, checkpoint, settings.leaseMs);
        },
        { giveUp: () => signal.aborted, onError: (err) => logger.warn({ err }, 'saving a checkpoint failed') },
      );
      signal.throwIfAborted();
      if (!held) throw new AbortRunError('lease-lost');
      await events.send(
        [{ event: make('JobCheckpointed', { summary: checkpoint.summary, sizeBytes: text.length }) }],
        true,
      );
    },
    stepKey: (step) => `${request.jobId}:${String(step)}`,
  };

  try {
    const payload = JSON.parse(request.payload) as never;
    const result = await settleWithin(handler(payload, ctx as never), signal, settings.abortGraceMs);
    const text = JSON.stringify(result ?? null);
    if (Buffer.byteLength(text) > settings.maxResultBytes) {
      return failedOutcome(
        deps,
        request,
        lease,
        make,
        failure(
          errorTypes.resultTooLarge,
          'The result is too large',
          `${Buffer.byteLength(text)} bytes; the limit is ${settings.maxResultBytes}`,
          false,
        ),
      );
    }
    return succeeded(make, text, Date.now() - startedAt);
  } catch (err) {
    const cause = signal.aborted ? (signal.reason as AbortRunError).abortCause : undefined;
    if (cause === 'lease-lost' || cause === 'shutdown') return 'handed-back';
    if (cause === 'cancelled') return cancelled(make, 'cancelled by the client');
    if (cause === 'timeout') {
      return failedOutcome(
        deps,
        request,
        lease,
        make,
        failure(errorTypes.timeout, 'The attempt timed out', `no result within ${request.timeoutMs} ms`, true),
      );
    }
    const retriable = !(err instanceof NonRetryableError);
    const message = err instanceof Error ? err.message : String(err);
    return failedOutcome(
      deps,
      request,
      lease,
      make,
      failure(errorTypes.handler, 'The handler failed', message, retriable),
    );
  }
}

function failedOutcome(
  deps: RunDeps,
  request: JobRequested,
  lease: RunLease,
  make: EventFactory,
  error: AttemptError,
): RunOutcome {
  const type = deps.catalog.get(request.jobType);
  if (error.error.retriable && type && lease.attempt < request.maxAttempts) {
    const dueAt = Date.now() + backoffMs(type.retry, lease.attempt + 1);
    return retrying(make, request, error, dueAt, deps.settings.topicPrefix, {});
  }
  return failedForGood(make, request, error, lease.errors, deps.settings.topicPrefix);
}

/** The handler's promise, unless its signal fires and it has not settled `graceMs` later. */
function settleWithin<T>(work: Promise<T>, signal: AbortSignal, graceMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      timer = setTimeout(() => reject(signal.reason as Error), graceMs);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

interface EventChain {
  /** Publish in order after what was sent before; durable sends retry until given up. */
  send(owed: readonly OwedMessage[], durable?: boolean): Promise<boolean>;
  progress(make: EventFactory, percent: number, stage?: string, message?: string): void;
  stopProgress(): void;
}

/** One run's events, in order; progress throttled to one event per interval, the latest winning. */
function createEventChain(
  deps: RunDeps,
  traceHeaders: Record<string, string>,
  logger: Logger,
  giveUp: () => boolean,
  span: TracedSpan | undefined,
): EventChain {
  let chain: Promise<boolean> = Promise.resolve(true);
  let lastProgressAt = 0;
  let pending: { percent: number; stage: string | null; message: string | null } | null = null;
  let pendingMake: EventFactory | null = null;
  let timer: NodeJS.Timeout | undefined;
  const interval = deps.settings.progressIntervalMs;

  function send(owed: readonly OwedMessage[], durable = true): Promise<boolean> {
    const publish = () => publishOwed(deps, owed, traceHeaders);
    chain = chain.then(() =>
      durable
        ? persist(publish, { giveUp, onError: (err) => logger.warn({ err }, 'publishing events failed') })
        : publish().then(
            () => true,
            (err: unknown) => {
              logger.debug({ err }, 'a progress event was dropped');
              return true;
            },
          ),
    );
    return chain;
  }

  function flush(): void {
    timer = undefined;
    if (!pending || !pendingMake) return;
    lastProgressAt = Date.now();
    span?.event('progress', { percent: pending.percent, ...(pending.stage === null ? {} : { stage: pending.stage }) });
    void send([{ event: pendingMake('JobProgressed', pending) }], false);
    pending = null;
  }

  return {
    send,
    progress(make, percent, stage, message) {
      if (!Number.isFinite(percent)) return;
      pending = {
        percent: Math.min(100, Math.max(0, percent)),
        stage: stage?.slice(0, 200) ?? null,
        message: message?.slice(0, 1_000) ?? null,
      };
      pendingMake = make;
      if (timer) return;
      const wait = lastProgressAt + interval - Date.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },
    stopProgress() {
      clearTimeout(timer);
      timer = undefined;
      pending = null;
    },
  };
}
