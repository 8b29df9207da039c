import { createHash } from 'node:crypto';
import { activeTraceHeaders } from '@longhaul/telemetry';
import type { DeadLetterDocument } from '@longhaul/contracts';
import type { JobTypeCatalog } from '@longhaul/job-types';
import { collections, type Db, type Filter } from '@longhaul/mongo';
import { acceptJob, type AcceptDeps } from './accept-job';
import type { AcceptanceStore } from './acceptance-store';
import { HttpProblem } from './problem';
import { isDuplicateKey, storeCall } from './store-call';

/** Which dead-lettered job was redriven as which new one (ingress-owned, one per old job). */
export interface RedriveLog {
  redrivenAs(jobId: string): Promise<string | null>;
  redrivenAsMany(jobIds: readonly string[]): Promise<Map<string, string>>;
  /** Record it once; false when it was already recorded. */
  record(jobId: string, newJobId: string): Promise<boolean>;
}

interface RedriveEntry {
  _id: string;
  newJobId: string;
  at: Date;
}

export function createRedriveLog(db: Db): RedriveLog {
  const entries = db.collection<RedriveEntry>(collections.redrives);
  return {
    async redrivenAs(jobId) {
      return (await entries.findOne({ _id: jobId }))?.newJobId ?? null;
    },
    async redrivenAsMany(jobIds) {
      const found = await entries.find({ _id: { $in: [...jobIds] } }).toArray();
      return new Map(found.map((e) => [e._id, e.newJobId]));
    },
    async record(jobId, newJobId) {
      try {
        await entries.insertOne({ _id: jobId, newJobId, at: new Date() });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
  };
}

/** The processor's dead letters, read for the admin API (the processor is their only writer). */
export interface DeadLetterReads {
  get(id: string): Promise<DeadLetterDocument | null>;
  list(q: { tenant?: string; type?: string; before?: Date; limit: number }): Promise<DeadLetterDocument[]>;
}

export function createDeadLetterReads(db: Db): DeadLetterReads {
  const letters = db.collection<DeadLetterDocument>(collections.deadLetters);
  return {
    get: (id) => letters.findOne({ _id: id }),
    list(q) {
      const filter: Filter<DeadLetterDocument> = {};
      if (q.tenant) filter.tenant = q.tenant;
      if (q.type) filter.type = q.type;
      if (q.before) filter.deadLetteredAt = { $lt: q.before };
      return letters.find(filter).sort({ deadLetteredAt: -1 }).limit(q.limit).toArray();
    },
  };
}

export interface RedriveDeps {
  readonly accept: AcceptDeps;
  readonly acceptances: AcceptanceStore;
  readonly letters: DeadLetterReads;
  readonly log: RedriveLog;
  readonly catalog: JobTypeCatalog;
}

export type RedriveResult =
  | { outcome: 'redriven'; jobId: string; newJobId: string }
  | { outcome: 'already-redriven'; jobId: string; newJobId: string };

/**
 * Run a dead-lettered job again as a new job: new id, `redriveOf` naming the old one, same
 * tenant, type, payload, options and webhook (its secret re-sealed from the old acceptance).
 * The old job stays failed and shows `redrivenAs`: no job ever leaves a terminal state.
 * Exactly once per old job, even when two operators click at once: the new job is accepted
 * under an idempotency key derived from the old id, and the log keeps the first answer.
 */
export async function redrive(deps: RedriveDeps, jobId: string): Promise<RedriveResult> {
  const done = await storeCall(() => deps.log.redrivenAs(jobId));
  if (done) return { outcome: 'already-redriven', jobId, newJobId: done };
  const letter = await storeCall(() => deps.letters.get(jobId));
  if (!letter || letter.jobId !== jobId) throw new HttpProblem('notFound', 'no dead letter for that job id');
  const type = deps.catalog.get(letter.type);
  if (!letter.request || !type) {
    throw new HttpProblem(
      'notRedrivable',
      letter.request
        ? `job type ${letter.type} is no longer known`
        : 'the message could not be decoded; nothing to run again',
    );
  }
  const old = await storeCall(() => deps.acceptances.find(jobId, letter.tenant));
  const webhook = old?.request.webhook ?? null;
  const response = await acceptJob(deps.accept, {
    tenant: letter.tenant,
    submission: {
      type,
      payload: letter.request.payload,
      options: { maxAttempts: letter.request.maxAttempts, timeoutMs: letter.request.timeoutMs },
      webhook: webhook && {
        url: webhook.url,
        events: webhook.events,
        secret: webhook.sealedSecret === null ? null : deps.accept.secrets.open(webhook.sealedSecret),
      },
    },
    // A key no client can send (a control character), so no tenant can collide with it.
    idempotency: { key: `redrive\u001f${jobId}`, fingerprint: createHash('sha256').update(jobId).digest('hex') },
    traceHeaders: activeTraceHeaders(),
    redriveOf: jobId,
  });
  const newJobId = (response.body as { id: string }).id;
  const first = await storeCall(() => deps.log.record(jobId, newJobId));
  if (first) return { outcome: 'redriven', jobId, newJobId };
  return {
    outcome: 'already-redriven',
    jobId,
    newJobId: (await storeCall(() => deps.log.redrivenAs(jobId))) ?? newJobId,
  };
}
