import type { Logger } from '@longhaul/runtime';
import { hourOf, minuteOf } from '@longhaul/webhooks';
import type { NotifierMetrics } from '../metrics';
import type { AttemptNext } from './attempt';
import type { DeliveryStore, PendingDelivery } from './delivery-store';

/**
 * Who sends what, when. Each `jobs.state` partition's deliveries are sent by the notifier that
 * owns the partition; the records in MongoDB are the schedule, and memory holds what is due
 * soon (up to `horizonMs` ahead, by whole minutes):
 *
 * - Deliveries queue per endpoint (URL origin). An endpoint has at most `endpointConcurrency`
 *   attempts in flight and all endpoints together at most `maxInFlight`, so a slow or hanging
 *   receiver holds its own slots only and never delays another's deliveries.
 * - An endpoint holds at most `endpointQueue` deliveries in memory; past that, the rest wait in
 *   MongoDB (they are there already) and are read back when its queue has drained to half.
 * - While an endpoint is backed up, a queued `job.progress` delivery is replaced by a newer one of
 *   the same job and subscription (recorded as `collapsed`); other events never are.
 * - Retries due within the horizon wait on a timer; later ones are found, minute by minute, by a
 *   scan of `dueMinute` every `scanMs`. Replays from the API are polled every `pollMs`.
 * - On a rebalance nothing new starts until the new assignment is known; partitions lost are
 *   dropped from memory (attempts in flight finish and are recorded), partitions gained are read.
 */
export interface Dispatcher {
  /** Deliveries just fanned out (or found): send when due. */
  add(deliveries: readonly PendingDelivery[]): void;
  /** A rebalance began: start nothing new until `assign`. */
  pause(): void;
  /** The partitions this notifier owns now. */
  assign(partitions: readonly number[]): void;
  /** Stop timers and polls; wait for attempts in flight (bounded by their deadline). */
  stop(): Promise<void>;
  stats(): { inFlight: number; queued: number; scheduled: number };
}

interface Task {
  readonly d: PendingDelivery;
  dueAt: number;
  timer: NodeJS.Timeout | null;
  running: boolean;
}

interface Endpoint {
  readonly key: string;
  readonly ready: Task[];
  /** Queued (not yet started) progress deliveries by subscription and job. */
  readonly progress: Map<string, Task>;
  active: number;
  /** Tasks of this endpoint in memory (ready, waiting on a timer, or in flight). */
  held: number;
  /** Some of its deliveries are only in MongoDB (the queue was full). */
  spilled: boolean;
}

export interface DispatcherOptions {
  readonly store: DeliveryStore;
  readonly attempt: (d: PendingDelivery) => Promise<AttemptNext>;
  readonly metrics: NotifierMetrics;
  readonly logger: Logger;
  readonly endpointConcurrency: number;
  readonly maxInFlight: number;
  readonly endpointQueue: number;
  readonly pollMs: number;
  /** How long a finished record stays listed. */
  readonly retentionMs: number;
  readonly horizonMs?: number;
  readonly scanMs?: number;
}

export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  const horizonMs = opts.horizonMs ?? 2 * 60_000;
  const scanMs = opts.scanMs ?? 30_000;
  const tasks = new Map<string, Task>();
  const endpoints = new Map<string, Endpoint>();
  /** Endpoints with queued work and a free slot, in the order they became so. */
  const runnable = new Set<Endpoint>();
  /** Owned partitions → the last minute scanned (everything due up to its end is in memory). */
  const owned = new Map<number, number>();
  let paused = true;
  let stopped = false;
  let inFlight = 0;
  const running = new Set<Promise<void>>();

  const endpointOf = (key: string): Endpoint => {
    let e = endpoints.get(key);
    if (!e) {
      e = { key, ready: [], progress: new Map(), active: 0, held: 0, spilled: false };
      endpoints.set(key, e);
    }
    return e;
  };

  function hold(d: PendingDelivery, dueAt: number): void {
    if (stopped || tasks.has(d._id)) return;
    const scanned = owned.get(d.partition);
    if (scanned === undefined || minuteOf(dueAt) > scanned) return; // a scan will find it
    const endpoint = endpointOf(d.endpoint);
    if (endpoint.held >= opts.endpointQueue) {
      endpoint.spilled = true;
      return;
    }
    const task: Task = { d, dueAt, timer: null, running: false };
    tasks.set(d._id, task);
    endpoint.held++;
    schedule(task, endpoint);
  }

  function schedule(task: Task, endpoint: Endpoint): void {
    const wait = task.dueAt - Date.now();
    if (wait <= 0) return enqueue(task, endpoint);
    task.timer = setTimeout(() => {
      task.timer = null;
      enqueue(task, endpoint);
    }, wait);
    task.timer.unref();
  }

  function enqueue(task: Task, endpoint: Endpoint): void {
    if (task.d.eventType === 'job.progress') {
      const key = `${task.d.subscriptionId}\u0000${task.d.jobId}`;
      const queued = endpoint.progress.get(key);
      const at = queued ? endpoint.ready.indexOf(queued) : -1;
      endpoint.progress.set(key, task);
      if (queued && at >= 0) {
        endpoint.ready[at] = task;
        collapse(queued, endpoint);
        pump();
        return;
      }
    }
    endpoint.ready.push(task);
    if (endpoint.active < opts.endpointConcurrency) runnable.add(endpoint);
    pump();
  }

  function collapse(task: Task, endpoint: Endpoint): void {
    forget(task, endpoint);
    opts.metrics.finished.inc({ state: 'collapsed' });
    const now = new Date();
    opts.store
      .update({
        id: task.d._id,
        set: {
          state: 'collapsed',
          nextAttemptAt: null,
          dueMinute: null,
          finishedAt: now,
          updatedAt: now,
          expiresAt: new Date(now.getTime() + opts.retentionMs),
          expiresHour: hourOf(now.getTime() + opts.retentionMs),
        },
      })
      .catch((err: unknown) => opts.logger.warn({ err, delivery: task.d._id }, 'could not record a collapse'));
  }

  function forget(task: Task, endpoint: Endpoint): void {
    if (task.timer) clearTimeout(task.timer);
    task.timer = null;
    tasks.delete(task.d._id);
    endpoint.held--;
    if (endpoint.spilled && endpoint.held <= opts.endpointQueue / 2) refill(endpoint);
  }

  function pump(): void {
    if (paused || stopped) return;
    for (const endpoint of runnable) {
      if (inFlight >= opts.maxInFlight) return;
      while (endpoint.active < opts.endpointConcurrency && endpoint.ready.length > 0 && inFlight < opts.maxInFlight) {
        start(endpoint.ready.shift()!, endpoint);
      }
      if (endpoint.ready.length === 0 || endpoint.active >= opts.endpointConcurrency) runnable.delete(endpoint);
    }
  }

  function start(task: Task, endpoint: Endpoint): void {
    const key = `${task.d.subscriptionId}\u0000${task.d.jobId}`;
    if (endpoint.progress.get(key) === task) endpoint.progress.delete(key);
    task.running = true;
    endpoint.active++;
    inFlight++;
    opts.metrics.inFlight.set(inFlight);
    const run = opts
      .attempt(task.d)
      .catch((err: unknown): AttemptNext => {
        // The attempt could not be recorded: send it again later (at least once, same webhook-id).
        opts.logger.warn({ err, delivery: task.d._id }, 'a delivery attempt failed to complete; retrying');
        return { again: true, dueAt: Date.now() + 5_000 };
      })
      .then((next) => {
        task.running = false;
        endpoint.active--;
        inFlight--;
        opts.metrics.inFlight.set(inFlight);
        const stillOwned = owned.has(task.d.partition) && !stopped;
        if (next.again && stillOwned && minuteOf(next.dueAt) <= owned.get(task.d.partition)!) {
          task.dueAt = next.dueAt;
          schedule(task, endpoint);
        } else {
          forget(task, endpoint);
        }
        if (endpoint.ready.length > 0) runnable.add(endpoint);
        pump();
      })
      .finally(() => running.delete(run));
    running.add(run);
  }

  /** Read back deliveries of an endpoint that waited only in MongoDB. */
  function refill(endpoint: Endpoint): void {
    endpoint.spilled = false;
    for (const partition of owned.keys()) {
      opts.store.pendingFor(partition, endpoint.key).then(
        (found) => addFound(found),
        (err: unknown) => {
          endpoint.spilled = true;
          opts.logger.warn({ err }, 'could not read waiting deliveries back');
        },
      );
    }
  }

  function addFound(found: readonly PendingDelivery[]): void {
    const sorted = [...found].sort((a, b) => (a.nextAttemptAt?.getTime() ?? 0) - (b.nextAttemptAt?.getTime() ?? 0));
    for (const d of sorted) hold(d, d.nextAttemptAt?.getTime() ?? Date.now());
  }

  function drop(partition: number): void {
    owned.delete(partition);
    for (const task of [...tasks.values()]) {
      if (task.d.partition !== partition || task.running) continue;
      const endpoint = endpointOf(task.d.endpoint);
      const at = endpoint.ready.indexOf(task);
      if (at >= 0) endpoint.ready.splice(at, 1);
      const key = `${task.d.subscriptionId}\u0000${task.d.jobId}`;
      if (endpoint.progress.get(key) === task) endpoint.progress.delete(key);
      forget(task, endpoint);
    }
  }

  async function load(partition: number): Promise<void> {
    try {
      addFound(await opts.store.pending(partition));
    } catch (err) {
      opts.logger.warn({ err, partition }, 'could not read pending deliveries; the next scan tries again');
      owned.set(partition, minuteOf(Date.now()) - 1);
    }
  }

  /** Bring into memory what falls due within the horizon, minute by minute. */
  async function scan(): Promise<void> {
    const until = minuteOf(Date.now() + horizonMs);
    for (const [partition, scanned] of owned) {
      for (let minute = scanned + 1; minute <= until; minute++) {
        if (owned.get(partition) !== minute - 1) break; // dropped or reassigned meanwhile
        try {
          const found = await opts.store.dueIn(partition, minute);
          if (!owned.has(partition)) break;
          owned.set(partition, minute);
          addFound(found);
        } catch (err) {
          opts.logger.warn({ err, partition }, 'scanning for due deliveries failed');
          break;
        }
      }
    }
  }

  async function pollReplays(): Promise<void> {
    for (const partition of owned.keys()) {
      const found = await opts.store.claimRequeued(partition);
      for (const d of found) hold({ ...d, attempts: 0 }, Date.now());
    }
  }

  const loop = (everyMs: number, what: string, run: () => Promise<void>) => {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || paused || stopped) return;
      busy = true;
      run()
        .catch((err: unknown) => opts.logger.warn({ err }, `${what} failed`))
        .finally(() => (busy = false));
    }, everyMs);
    timer.unref();
    return timer;
  };
  const timers = [loop(scanMs, 'scan', scan), loop(opts.pollMs, 'replay poll', pollReplays)];

  return {
    add(deliveries) {
      for (const d of deliveries) hold(d, d.nextAttemptAt?.getTime() ?? Date.now());
    },
    pause() {
      paused = true;
    },
    assign(partitions) {
      const next = new Set(partitions);
      for (const p of [...owned.keys()]) if (!next.has(p)) drop(p);
      const gained = partitions.filter((p) => !owned.has(p));
      const until = minuteOf(Date.now() + horizonMs);
      for (const p of gained) owned.set(p, until);
      paused = false;
      for (const e of endpoints.values()) if (e.ready.length > 0) runnable.add(e);
      pump();
      for (const p of gained) void load(p);
    },
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      for (const task of tasks.values()) if (task.timer) clearTimeout(task.timer);
      await Promise.allSettled([...running]);
      await opts.store.drain();
    },
    stats() {
      let queued = 0;
      for (const e of endpoints.values()) queued += e.ready.length;
      return { inFlight, queued, scheduled: tasks.size - queued - inFlight };
    },
  };
}
