import type { Logger } from '@longhaul/runtime';
import { hourOf } from '@longhaul/contracts';
import { minuteOf } from '@longhaul/webhooks';
import type { NotifierMetrics } from '../metrics';
import type { AttemptNext } from './attempt';
import type { DeliveryDocument } from '@longhaul/webhooks';
import type { DeliveryStore, DeliveryUpdate, PendingDelivery } from './delivery-store';

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
/** A delivery just fanned out and not yet stored, and who waits for it to be stored. */
export interface NewDelivery {
  readonly doc: DeliveryDocument;
  readonly onRecorded: () => void;
}

/** Writes one delivery's record: the first write inserts it (if it is not stored yet). */
export type DeliveryWrite = (update: DeliveryUpdate) => Promise<void>;

export interface Dispatcher {
  /** Deliveries stored already (found, or stored by the fan-out): send when due. */
  add(deliveries: readonly PendingDelivery[]): void;
  /**
   * Deliveries just fanned out, not stored yet: sent at once and stored once — with the first
   * attempt's outcome, or as pending when that attempt takes longer than `recordAfterMs`, waits
   * to start longer than `recordWaitMs`, or the endpoint's queue is full. `onRecorded` is called when the record is durable.
   */
  addNew(deliveries: readonly NewDelivery[]): void;
  /** Store every delivery not stored yet (as pending). */
  recordAll(): Promise<void>;
  /** A rebalance began: start nothing new until `assign`. */
  pause(): void;
  /** The partitions this notifier owns now. */
  assign(partitions: readonly number[]): void;
  /** Stop timers and polls; wait for attempts in flight (bounded by their deadline). */
  stop(): Promise<void>;
  /** Attempts in flight (HTTP), and the deliveries in memory by where they are. */
  stats(): { inFlight: number; ready: number; sending: number; waiting: number };
}

interface Task {
  readonly d: PendingDelivery;
  dueAt: number;
  timer: NodeJS.Timeout | null;
  running: boolean;
  /** Not in MongoDB yet: the whole record, who waits for it, and the timer that stores it. */
  unrecorded: { doc: DeliveryDocument; onRecorded: () => void; timer: NodeJS.Timeout | null } | null;
  /** The task's writes, one after another. */
  writing: Promise<void>;
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
  refilling: boolean;
}

/**
 * Records read at once from MongoDB (a partition's pending ones when it is gained, or one
 * minute's): what does not fit waits for its endpoint's queue to drain (see `refill`).
 */
const READ_LIMIT = 5_000;

export interface DispatcherOptions {
  readonly store: DeliveryStore;
  /** One attempt; it calls `sent` when the HTTP part is over (before its record is written). */
  readonly attempt: (d: PendingDelivery, write: DeliveryWrite, sent: () => void) => Promise<AttemptNext>;
  /** How long a new delivery's first attempt may take before it is stored as pending anyway. */
  readonly recordAfterMs?: number;
  /**
   * How long a new delivery may wait in its endpoint's queue unstored (its message's offset is
   * not committed meanwhile; a crash sends it again, with the same webhook-id).
   */
  readonly recordWaitMs?: number;
  readonly metrics: NotifierMetrics;
  readonly logger: Logger;
  readonly endpointConcurrency: number;
  readonly maxInFlight: number;
  readonly endpointQueue: number;
  /** Deliveries held in memory at most, over all endpoints; the rest wait in MongoDB. */
  readonly maxHeld?: number;
  readonly pollMs: number;
  /** How long a finished record stays listed. */
  readonly retentionMs: number;
  readonly horizonMs?: number;
  readonly scanMs?: number;
}

/** Queued progress deliveries of one job to one subscription replace each other. */
const progressKey = (d: PendingDelivery) => `${d.subscriptionId}\u0000${d.jobId}`;

export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  const horizonMs = opts.horizonMs ?? 2 * 60_000;
  const recordAfterMs = opts.recordAfterMs ?? 2_000;
  const recordWaitMs = opts.recordWaitMs ?? 10_000;
  const scanMs = opts.scanMs ?? 30_000;
  const maxHeld = opts.maxHeld ?? 100_000;
  const tasks = new Map<string, Task>();
  const endpoints = new Map<string, Endpoint>();
  /** Endpoints with queued work and a free slot, in the order they became so. */
  const runnable = new Set<Endpoint>();
  /** Owned partitions → the last minute scanned (everything due up to its end is in memory). */
  const owned = new Map<number, number>();
  let paused = true;
  let stopped = false;
  let inFlight = 0;
  /** Attempts sent whose record is still being written (their endpoint slot is free already). */
  const writingTasks = new Set<Task>();
  const running = new Set<Promise<void>>();

  const endpointOf = (key: string): Endpoint => {
    let e = endpoints.get(key);
    if (!e) {
      e = { key, ready: [], progress: new Map(), active: 0, held: 0, spilled: false, refilling: false };
      endpoints.set(key, e);
    }
    return e;
  };

  function hold(d: PendingDelivery, dueAt: number, fresh?: NewDelivery): void {
    if (stopped) return;
    const known = tasks.get(d._id);
    if (known) {
      // Read again while still in memory: stored when the one in memory is.
      if (fresh) {
        if (!known.unrecorded) fresh.onRecorded();
        else {
          const before = known.unrecorded.onRecorded;
          known.unrecorded.onRecorded = () => {
            before();
            fresh.onRecorded();
          };
        }
      }
      return;
    }
    const scanned = owned.get(d.partition);
    if (scanned === undefined || minuteOf(dueAt) > scanned) return; // a scan will find it
    const endpoint = endpointOf(d.endpoint);
    if (endpoint.held >= opts.endpointQueue || tasks.size >= maxHeld) {
      endpoint.spilled = true;
      // It waits in MongoDB: store it now.
      if (fresh) void storeSpilled(fresh);
      return;
    }
    const task: Task = {
      d,
      dueAt,
      timer: null,
      running: false,
      unrecorded: fresh ? { doc: fresh.doc, onRecorded: fresh.onRecorded, timer: null } : null,
      writing: Promise.resolve(),
    };
    if (task.unrecorded) {
      storeWithin(task, recordWaitMs);
    }
    tasks.set(d._id, task);
    endpoint.held++;
    schedule(task, endpoint);
  }

  async function storeSpilled(fresh: NewDelivery): Promise<void> {
    try {
      await opts.store.record(fresh.doc);
      fresh.onRecorded();
    } catch (err) {
      // Not stored: its offset stays uncommitted, and the message is read again later.
      opts.logger.warn({ err, jobId: fresh.doc.jobId, delivery: fresh.doc._id }, 'could not store a delivery');
    }
  }

  /** Write a task's record: insert it with this update if it is not stored yet, else update it. */
  function write(task: Task, update: DeliveryUpdate): Promise<void> {
    const run = task.writing.then(async () => {
      const pending = task.unrecorded;
      if (!pending) return opts.store.update(update);
      const doc: DeliveryDocument = {
        ...pending.doc,
        ...update.set,
        log: update.attempt ? [...pending.doc.log, update.attempt] : pending.doc.log,
      };
      // Stored meanwhile by another member (a rebalance): then this is an update of it.
      if ((await opts.store.record(doc)) === 'duplicate') await opts.store.update(update);
      recorded(task);
    });
    task.writing = run.catch(() => undefined);
    return run;
  }

  function recorded(task: Task): void {
    const pending = task.unrecorded;
    if (!pending) return;
    task.unrecorded = null;
    if (pending.timer) clearTimeout(pending.timer);
    pending.onRecorded();
  }

  /** Store a new delivery as it is (pending) while its first attempt is still to finish. */
  function recordPending(task: Task): Promise<void> {
    const run = task.writing.then(async () => {
      const pending = task.unrecorded;
      if (!pending) return;
      await opts.store.record(pending.doc);
      recorded(task);
    });
    task.writing = run.catch((err: unknown) =>
      opts.logger.warn(
        { err, jobId: task.d.jobId, delivery: task.d._id },
        'could not store a delivery; its offset waits',
      ),
    );
    return task.writing;
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
      const key = progressKey(task.d);
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
    write(task, {
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
    }).catch((err: unknown) =>
      opts.logger.warn({ err, jobId: task.d.jobId, delivery: task.d._id }, 'could not record a collapse'),
    );
  }

  function forget(task: Task, endpoint: Endpoint): void {
    if (task.timer) clearTimeout(task.timer);
    task.timer = null;
    // Dropped before it was stored (its partition was lost): the message will be read again.
    if (task.unrecorded?.timer) clearTimeout(task.unrecorded.timer);
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

  /** Store an unstored task as pending if it is still unstored after `ms`. */
  function storeWithin(task: Task, ms: number): void {
    const pending = task.unrecorded;
    if (!pending) return;
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = setTimeout(() => void recordPending(task), ms);
    pending.timer.unref();
  }

  function start(task: Task, endpoint: Endpoint): void {
    storeWithin(task, recordAfterMs);
    const key = progressKey(task.d);
    if (endpoint.progress.get(key) === task) endpoint.progress.delete(key);
    task.running = true;
    endpoint.active++;
    inFlight++;
    opts.metrics.inFlight.set(inFlight);
    // The endpoint's slot is free once the HTTP attempt is over; its record is written after
    // (shared with other writes), unless too many writes are waiting already.
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      endpoint.active--;
      inFlight--;
      opts.metrics.inFlight.set(inFlight);
      if (endpoint.ready.length > 0) runnable.add(endpoint);
      pump();
    };
    const sent = () => {
      if (writingTasks.size >= opts.maxInFlight * 4) return;
      writingTasks.add(task);
      release();
    };
    const run = opts
      .attempt(task.d, (update) => write(task, update), sent)
      .catch((err: unknown): AttemptNext => {
        // The attempt could not be recorded: send it again later (at least once, same webhook-id).
        opts.logger.warn(
          { err, jobId: task.d.jobId, delivery: task.d._id },
          'a delivery attempt failed to complete; retrying',
        );
        return { again: true, dueAt: Date.now() + 5_000 };
      })
      .then((next) => {
        writingTasks.delete(task);
        task.running = false;
        const stillOwned = owned.has(task.d.partition) && !stopped;
        if (next.again && stillOwned && minuteOf(next.dueAt) <= owned.get(task.d.partition)!) {
          task.dueAt = next.dueAt;
          schedule(task, endpoint);
        } else {
          forget(task, endpoint);
        }
        release();
        pump();
      })
      .finally(() => running.delete(run));
    running.add(run);
  }

  /** Read back deliveries of an endpoint that waited only in MongoDB (one read at a time). */
  function refill(endpoint: Endpoint): void {
    if (endpoint.refilling) return;
    endpoint.refilling = true;
    endpoint.spilled = false;
    const heldBefore = endpoint.held;
    void (async () => {
      for (const [partition, scanned] of [...owned]) {
        const room = Math.min(opts.endpointQueue - endpoint.held, maxHeld - tasks.size);
        if (room <= 0) {
          endpoint.spilled = true;
          break;
        }
        // Those in memory are pending in MongoDB too: the read leaves them out, and what falls
        // due after the scanned minutes is left for the scan.
        const known = [...tasks.values()]
          .filter((t) => t.d.partition === partition && t.d.endpoint === endpoint.key)
          .map((t) => t.d._id);
        const dueBefore = new Date((scanned + 1) * 60_000);
        const found = await opts.store.pendingFor(partition, endpoint.key, room, known, dueBefore);
        addFound(found);
        if (found.length >= room) endpoint.spilled = true; // more may wait there
      }
    })()
      .catch((err: unknown) => {
        endpoint.spilled = true;
        opts.logger.warn({ err }, 'could not read waiting deliveries back');
      })
      .finally(() => {
        endpoint.refilling = false;
        // Again at once only if this read brought some in (else the next drain or scan does).
        if (endpoint.spilled && endpoint.held > heldBefore && endpoint.held <= opts.endpointQueue / 2) refill(endpoint);
      });
  }

  /** Endpoints that left deliveries in MongoDB while memory was full: read them back when it is not. */
  function refillSpilled(): void {
    for (const e of endpoints.values()) {
      if (tasks.size >= maxHeld / 2) return;
      if (e.spilled && !e.refilling && e.held <= opts.endpointQueue / 2) refill(e);
    }
  }

  function addFound(found: readonly PendingDelivery[]): void {
    const sorted = [...found].sort((a, b) => (a.nextAttemptAt?.getTime() ?? 0) - (b.nextAttemptAt?.getTime() ?? 0));
    for (const d of sorted) hold(d, d.nextAttemptAt?.getTime() ?? Date.now());
    // A full read may have left more behind: their endpoints read them back as they drain.
    if (found.length >= READ_LIMIT) for (const d of found) endpointOf(d.endpoint).spilled = true;
  }

  function drop(partition: number): void {
    owned.delete(partition);
    for (const task of [...tasks.values()]) {
      if (task.d.partition !== partition || task.running) continue;
      const endpoint = endpointOf(task.d.endpoint);
      const at = endpoint.ready.indexOf(task);
      if (at >= 0) endpoint.ready.splice(at, 1);
      const key = progressKey(task.d);
      if (endpoint.progress.get(key) === task) endpoint.progress.delete(key);
      forget(task, endpoint);
    }
  }

  async function load(partition: number): Promise<void> {
    try {
      addFound(await opts.store.pending(partition, READ_LIMIT));
    } catch (err) {
      opts.logger.warn({ err, partition }, 'could not read pending deliveries; the next scan tries again');
      owned.set(partition, minuteOf(Date.now()) - 1);
    }
  }

  /** Bring into memory what falls due within the horizon, minute by minute. */
  async function scan(): Promise<void> {
    refillSpilled();
    const until = minuteOf(Date.now() + horizonMs);
    for (const [partition, scanned] of owned) {
      for (let minute = scanned + 1; minute <= until; minute++) {
        if (owned.get(partition) !== minute - 1) break; // dropped or reassigned meanwhile
        try {
          const found = await opts.store.dueIn(partition, minute, READ_LIMIT);
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
    const found = await opts.store.claimRequeued(new Set(owned.keys()));
    // Only those of partitions still owned (a rebalance may have come meanwhile).
    for (const d of found) if (owned.has(d.partition)) hold({ ...d, attempts: 0 }, Date.now());
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
  /** Deliveries in memory: queued for a slot, being sent (or recorded), waiting for their time. */
  function inMemory() {
    let ready = 0;
    for (const e of endpoints.values()) ready += e.ready.length;
    let sending = 0;
    for (const t of tasks.values()) if (t.running) sending++;
    return { ready, sending, waiting: tasks.size - ready - sending };
  }
  const gauges = setInterval(() => {
    for (const [where, n] of Object.entries(inMemory())) opts.metrics.inMemory.set({ where }, n);
  }, 1_000);
  gauges.unref();
  timers.push(gauges);

  return {
    add(deliveries) {
      for (const d of deliveries) hold(d, d.nextAttemptAt?.getTime() ?? Date.now());
    },
    addNew(deliveries) {
      for (const fresh of deliveries) hold(fresh.doc, Date.now(), fresh);
    },
    async recordAll() {
      await Promise.all([...tasks.values()].filter((t) => t.unrecorded).map((t) => recordPending(t)));
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
    stats: () => ({ inFlight, ...inMemory() }),
  };
}
