import { randomUUID } from 'node:crypto';
import type { AttemptError, LonghaulEvent } from '@longhaul/contracts';
import { collections, createBatchedInserts, createFencedTransitions, type Collection, type Db } from '@longhaul/mongo';

/**
 * The processor's own record of each job it has seen: who runs it (the lease), which attempt
 * and epoch, its newest checkpoint, and the events that announce its latest state change.
 *
 * Every change of state is a fenced transition: a redelivered request, its retry copy, a
 * takeover, a cancel and the run's own ending can race, and exactly one wins. The winner is
 * whoever inserts the fence `<job>/<epoch>/<end|resume>` first — an insert on a unique `_id`,
 * the one write FerretDB makes atomic (its updates are not: ten concurrent compare-and-set
 * updates of one document on FerretDB 1.24/PostgreSQL all "match"; see docs/architecture.md).
 * The fence holds the record's new fields, so if the winner dies before writing them, the next
 * process to lose the race rolls them forward (createFencedTransitions in @longhaul/mongo).
 *
 * A run's end is written as its fence alone (a lazy transition): the document keeps saying
 * `running` and `get` reads the state through the fences, which saves the one update per job
 * (FerretDB's dearest write). Everything that takes a run over or resumes it writes the whole
 * new state to the document, so the lease renewals and checkpoint saves, which match the
 * document itself, only ever match the live holder. First runs are inserted in batches.
 *
 * Checkpoints live here — written before their event is published — because a resumed run
 * must see the newest one, which the projected read model (written later) cannot promise.
 */
export type RunState = 'running' | 'retrying' | 'succeeded' | 'failed' | 'cancelled';
export const finalStates: ReadonlySet<RunState> = new Set(['succeeded', 'failed', 'cancelled']);

/** An event owed to Kafka: published after the state change it announces is stored. */
export interface OwedMessage {
  readonly event: LonghaulEvent;
  /** Where it goes when not its type's own topic (the retry copy of a request). */
  readonly topic?: string;
  readonly headers?: Record<string, string>;
}

export interface StoredCheckpoint {
  /** JSON text of the handler's state. */
  readonly state: string;
  readonly summary: string | null;
  readonly attempt: number;
  readonly epoch: number;
  readonly at: Date;
}

export interface RunRecord {
  _id: string;
  tenant: string;
  type: string;
  attempt: number;
  epoch: number;
  state: RunState;
  owner: string | null;
  leaseUntil: Date | null;
  checkpoint: StoredCheckpoint | null;
  errors: AttemptError[];
  /** The events of the latest state change, re-published as they are on a redelivery. */
  owed: OwedMessage[];
  createdAt: Date;
  updatedAt: Date;
  /** Names the insert that created it, so a batched insert knows its own (absent on old records). */
  insertId?: string;
}

/** What a run leaves behind: its new state and what announces it. */
export interface RunOutcome {
  readonly state: Exclude<RunState, 'running'>;
  readonly owed: OwedMessage[];
  /** This attempt's error, added to the job's list. */
  readonly error?: AttemptError;
}

export interface LeaseHolder {
  readonly owner: string;
  readonly epoch: number;
}

export interface RunStore {
  get(jobId: string): Promise<RunRecord | null>;
  /** The first run of a job nobody has seen: false when someone else got there first. */
  insertRunning(
    job: { jobId: string; tenant: string; type: string; attempt: number },
    owner: string,
    leaseMs: number,
  ): Promise<boolean>;
  /** Take the lease from the state `from` was read in (a takeover or the next attempt), bumping the epoch. */
  claim(from: RunRecord, attempt: number, owner: string, leaseMs: number): Promise<boolean>;
  /** Renew the leases still held; returns the ids whose lease this owner no longer holds. */
  renew(jobIds: readonly string[], owner: string, leaseMs: number): Promise<string[]>;
  saveCheckpoint(jobId: string, holder: LeaseHolder, checkpoint: StoredCheckpoint, leaseMs: number): Promise<boolean>;
  /**
   * Record how a run ended, unless its epoch already ended otherwise (taken over, cancelled).
   * `token` names this ending: repeating the call with it after an error is safe.
   */
  finish(
    jobId: string,
    holder: LeaseHolder,
    outcome: RunOutcome,
    earlierErrors: readonly AttemptError[],
    token: string,
  ): Promise<boolean>;
  /** Hand the lease back at once (shutdown), so the next owner need not wait for it to expire. */
  release(jobId: string, holder: LeaseHolder): Promise<void>;
  /** End a job that is not running (never started, or waiting for a retry) in `outcome.state`. */
  endIdle(
    job: { jobId: string; tenant: string; type: string; attempt: number },
    from: RunRecord | null,
    outcome: (epoch: number) => RunOutcome,
  ): Promise<RunRecord | null>;
}

export function createRunStore(db: Db): RunStore {
  const runs: Collection<RunRecord> = db.collection<RunRecord>(collections.jobRuns);
  const fences = createFencedTransitions(db, runs, collections.jobRunFences);
  const firstRuns = createBatchedInserts(runs, {
    same: (existing, doc) => existing.insertId === doc.insertId,
  });
  const isDuplicate = (err: unknown) => (err as { code?: unknown }).code === 11000;
  /** The key of the transition that leaves a state; final states are never left. */
  const leaving = (from: { state: RunState; epoch: number }) =>
    finalStates.has(from.state) ? null : `${from.epoch}/${from.state === 'running' ? 'end' : 'resume'}`;
  /** Leave the state (state, epoch) for `to`: one winner among every process that tries. */
  const transition = (
    jobId: string,
    from: { state: RunState; epoch: number },
    to: Partial<RunRecord>,
    token?: string,
    lazy = false,
  ) =>
    fences.transition(
      jobId,
      leaving(from) ?? `${from.epoch}/end`,
      { state: from.state, epoch: from.epoch },
      { ...to, updatedAt: new Date() },
      token,
      { lazy },
    );

  return {
    get: (jobId) => fences.read(jobId, leaving),
    insertRunning(job, owner, leaseMs) {
      const now = new Date();
      return firstRuns.insert({
        _id: job.jobId,
        tenant: job.tenant,
        type: job.type,
        attempt: job.attempt,
        epoch: 1,
        state: 'running',
        owner,
        leaseUntil: new Date(now.getTime() + leaseMs),
        checkpoint: null,
        errors: [],
        owed: [],
        createdAt: now,
        updatedAt: now,
        insertId: randomUUID(),
      });
    },
    claim(from, attempt, owner, leaseMs) {
      return transition(from._id, from, {
        state: 'running',
        attempt,
        epoch: from.epoch + 1,
        owner,
        leaseUntil: new Date(Date.now() + leaseMs),
        owed: [],
        // `from` may come from a lazily written end: carry what only that fence holds.
        errors: from.errors,
      });
    },
    async renew(jobIds, owner, leaseMs) {
      // One small write per run, by `_id` alone: with `$in` filters here (job_runs only grows)
      // one process started 82 jobs/s in bench:processor, with these 110. Not a compare-and-set
      // (FerretDB has none for updates): a lease taken over meanwhile shows as no match on a
      // later tick, and the new holder's own renewals keep it alive.
      const leaseUntil = new Date(Date.now() + leaseMs);
      const results = await Promise.all(
        jobIds.map((id) => runs.updateOne({ _id: id, owner, state: 'running' }, { $set: { leaseUntil } })),
      );
      return jobIds.filter((_, i) => results[i]!.matchedCount === 0);
    },
    async saveCheckpoint(jobId, holder, checkpoint, leaseMs) {
      const res = await runs.updateOne(
        { _id: jobId, owner: holder.owner, epoch: holder.epoch, state: 'running' },
        { $set: { checkpoint, leaseUntil: new Date(Date.now() + leaseMs), updatedAt: new Date() } },
      );
      return res.matchedCount === 1;
    },
    finish(jobId, holder, outcome, earlierErrors, token) {
      return transition(
        jobId,
        { state: 'running', epoch: holder.epoch },
        {
          state: outcome.state,
          owed: outcome.owed,
          owner: null,
          leaseUntil: null,
          errors: outcome.error ? [...earlierErrors, outcome.error] : [...earlierErrors],
        },
        token,
        true,
      );
    },
    async release(jobId, holder) {
      await runs.updateOne(
        { _id: jobId, owner: holder.owner, epoch: holder.epoch, state: 'running' },
        { $set: { leaseUntil: new Date(0), updatedAt: new Date() } },
      );
    },
    async endIdle(job, from, outcome) {
      const now = new Date();
      if (from === null) {
        const end = outcome(1);
        const record: RunRecord = {
          _id: job.jobId,
          tenant: job.tenant,
          type: job.type,
          attempt: job.attempt,
          epoch: 1,
          state: end.state,
          owner: null,
          leaseUntil: null,
          checkpoint: null,
          errors: end.error ? [end.error] : [],
          owed: end.owed,
          createdAt: now,
          updatedAt: now,
        };
        try {
          await runs.insertOne(record);
          return record;
        } catch (err) {
          if (isDuplicate(err)) return null;
          throw err;
        }
      }
      const end = outcome(from.epoch + 1);
      const to: Partial<RunRecord> = {
        state: end.state,
        epoch: from.epoch + 1,
        owed: end.owed,
        owner: null,
        leaseUntil: null,
        errors: end.error ? [...from.errors, end.error] : from.errors,
      };
      return (await transition(from._id, from, to)) ? { ...from, ...to } : null;
    },
  };
}
