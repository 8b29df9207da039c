import { jobStatuses, type JobDocument, type JobStatus } from '@longhaul/contracts';
import { collections, type Db, type Filter } from '@longhaul/mongo';
import type { AcceptanceRecord, AcceptanceStore } from './acceptance-store';
import type { RedriveLog } from './redrive';
import { storeCall } from './store-call';
import { viewFromAcceptance, viewFromDocument, type JobView } from './job-view';
import { HttpProblem } from './problem';
import { parseDateTime } from './date-time';

/** ULIDs: 26 Crockford base32 characters, the first encoding the time. */
export const JOB_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export interface JobReads {
  /** Read-your-writes: the projection when it has the job, else the acceptance record. */
  find(
    id: string,
    tenant: string,
  ): Promise<{ view: JobView; acceptance: AcceptanceRecord | null; version: number } | null>;
  list(tenant: string, query: ListQuery): Promise<{ items: JobView[]; nextCursor: string | null }>;
}

export interface ListQuery {
  status?: JobStatus;
  type?: string;
  createdAfter?: Date;
  limit: number;
  /** List jobs with ids below this one (newest first). */
  before?: string;
}

/**
 * `readModel` names the collection holding the read model now (the projector's, which a
 * rebuild switches: libs/mongo `followReadModelPointer`).
 */
export function createJobReads(
  db: Db,
  acceptances: AcceptanceStore,
  redrives: RedriveLog,
  readModel: () => string = () => collections.jobs,
): JobReads {
  const readModelColl = () => db.collection<JobDocument>(readModel());
  const acceptanceColl = db.collection<AcceptanceRecord>(collections.acceptances);
  return {
    async find(id, tenant) {
      if (!JOB_ID_PATTERN.test(id)) return null;
      // By `_id` alone (FerretDB answers that without a scan); the tenant is checked here, and
      // another tenant's job is exactly as absent as an unknown one.
      const [found, acceptance] = await storeCall(() =>
        Promise.all([readModelColl().findOne({ _id: id }), acceptances.find(id, tenant)]),
      );
      const doc = found?.tenant === tenant ? found : null;
      if (doc) {
        const redrivenAs = doc.status === 'failed' ? await storeCall(() => redrives.redrivenAs(id)) : null;
        return { view: viewFromDocument(doc, acceptance, redrivenAs), acceptance, version: doc.version };
      }
      if (acceptance && acceptance.state !== 'rejected')
        return { view: viewFromAcceptance(acceptance), acceptance, version: 0 };
      return null;
    },
    async list(tenant, q) {
      const filter: Filter<JobDocument> = { tenant };
      if (q.status) filter.status = q.status;
      if (q.type) filter.type = q.type;
      if (q.createdAfter) filter.createdAt = { $gt: q.createdAfter };
      if (q.before) filter._id = { $lt: q.before };
      const docs = await storeCall(() =>
        readModelColl()
          .find(filter)
          .sort({ _id: -1 })
          .limit(q.limit + 1)
          .toArray(),
      );
      const page = docs.slice(0, q.limit);
      const ids = page.map((d) => d._id);
      const accs = await storeCall(() => acceptanceColl.find({ _id: { $in: ids }, tenant }).toArray());
      const byId = new Map(accs.map((a) => [a._id, a]));
      const failed = page.filter((d) => d.status === 'failed').map((d) => d._id);
      const redriven =
        failed.length > 0 ? await storeCall(() => redrives.redrivenAsMany(failed)) : new Map<string, string>();
      return {
        items: page.map((d) => viewFromDocument(d, byId.get(d._id) ?? null, redriven.get(d._id) ?? null)),
        nextCursor: docs.length > q.limit && page.length > 0 ? encodeCursor(page[page.length - 1]!._id) : null,
      };
    },
  };
}

/** Cursors are opaque to clients: base64url of a small versioned JSON object. */
export function encodeCursor(before: string): string {
  return Buffer.from(JSON.stringify({ v: 1, before })).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const bad = new HttpProblem('badRequest', 'the cursor is not one this API returned', {
    errors: [{ pointer: '/query/cursor', message: 'is not a valid cursor' }],
  });
  if (cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { v?: unknown; before?: unknown };
    if (parsed.v === 1 && typeof parsed.before === 'string' && JOB_ID_PATTERN.test(parsed.before)) return parsed.before;
  } catch {
    // fall through
  }
  throw bad;
}

const LIST_PARAMS = new Set(['status', 'type', 'createdAfter', 'limit', 'cursor']);

/** Parse the list query strictly: an unknown or repeated parameter is an error, not ignored. */
export function parseListQuery(
  query: Record<string, string | string[] | undefined>,
  knownTypes: readonly string[],
): ListQuery {
  const errors: { pointer: string; message: string }[] = [];
  const one = (name: string): string | undefined => {
    const v = query[name];
    if (Array.isArray(v)) {
      errors.push({ pointer: `/query/${name}`, message: 'must be given once' });
      return undefined;
    }
    return v;
  };
  for (const name of Object.keys(query)) {
    if (!LIST_PARAMS.has(name))
      errors.push({ pointer: `/query/${name.slice(0, 50)}`, message: 'is not a known parameter' });
  }
  const out: ListQuery = { limit: 20 };
  const status = one('status');
  if (status !== undefined) {
    if ((jobStatuses as readonly string[]).includes(status)) out.status = status as JobStatus;
    else errors.push({ pointer: '/query/status', message: `must be one of ${jobStatuses.join(', ')}` });
  }
  const type = one('type');
  if (type !== undefined) {
    if (knownTypes.includes(type)) out.type = type;
    else errors.push({ pointer: '/query/type', message: 'is not a known job type' });
  }
  const createdAfter = one('createdAfter');
  if (createdAfter !== undefined) {
    const d = parseDateTime(createdAfter);
    if (!d) errors.push({ pointer: '/query/createdAfter', message: 'must be an RFC 3339 date-time' });
    else out.createdAfter = d;
  }
  const limit = one('limit');
  if (limit !== undefined) {
    const n = /^\d{1,3}$/.test(limit) ? Number(limit) : Number.NaN;
    if (n >= 1 && n <= 100) out.limit = n;
    else errors.push({ pointer: '/query/limit', message: 'must be a whole number from 1 to 100' });
  }
  const cursor = one('cursor');
  if (errors.length > 0) throw new HttpProblem('badRequest', 'the query is not valid', { errors });
  if (cursor !== undefined) out.before = decodeCursor(cursor);
  return out;
}
