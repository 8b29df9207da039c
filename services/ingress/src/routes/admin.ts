import Router from '@koa/router';
import type { DeadLetterDocument } from '@longhaul/contracts';
import { readJsonBody } from '../body';
import { JOB_ID_PATTERN } from '../job-reads';
import { jobPath } from '../job-view';
import { HttpProblem } from '../problem';
import { redrive, type DeadLetterReads, type RedriveDeps, type RedriveLog } from '../redrive';
import type { JobTypeControls } from '../job-type-controls';
import { storeCall } from '../store-call';
import type { ApiState } from './auth';

export interface AdminRoutesDeps {
  readonly controls: JobTypeControls;
  readonly knownTypes: readonly string[];
  readonly redrive: RedriveDeps;
  readonly letters: DeadLetterReads;
  readonly log: RedriveLog;
  readonly maxBodyBytes: number;
}

/** What an operator sees of a dead letter: everything but the payload itself (tenant data). */
function letterView(l: DeadLetterDocument, redrivenAs: string | null) {
  const request = l.request ?? null;
  return {
    id: l._id,
    jobId: l.jobId === '' ? null : l.jobId,
    tenant: l.tenant === '' ? null : l.tenant,
    type: l.type === '' ? null : l.type,
    reason: l.reason,
    errors: l.errors.map((e) => ({
      attempt: e.attempt,
      epoch: e.epoch,
      time: new Date(e.time).toISOString(),
      error: { type: e.error.type, title: e.error.title, detail: e.error.detail, retriable: e.error.retriable },
    })),
    request: request && {
      maxAttempts: request.maxAttempts,
      timeoutMs: request.timeoutMs,
      payloadBytes: Buffer.byteLength(request.payload),
    },
    source: l.source ?? null,
    deadLetteredAt: l.deadLetteredAt.toISOString(),
    redrivable: request !== null && l.jobId !== '' && redrivenAs === null,
    redrivenAs,
  };
}

const MAX_BATCH = 100;

function parseJobIds(body: unknown): string[] {
  const ids = (body as { jobIds?: unknown } | null)?.jobIds;
  const fields = Object.keys(body ?? {});
  const valid =
    Array.isArray(ids) &&
    ids.length >= 1 &&
    ids.length <= MAX_BATCH &&
    ids.every((id) => typeof id === 'string' && JOB_ID_PATTERN.test(id)) &&
    fields.every((f) => f === 'jobIds');
  if (!valid) {
    throw new HttpProblem('validation', `send {"jobIds": [...]}: 1 to ${MAX_BATCH} job ids, nothing else`, {
      errors: [{ pointer: '/jobIds', message: `must be 1 to ${MAX_BATCH} job ids` }],
    });
  }
  return [...new Set(ids as string[])];
}

/** Operator routes (admin keys only, enforced for all of /v1/admin/): dead letters, redrive, pausing job types. */
export function adminRoutes(deps: AdminRoutesDeps): Router<ApiState> {
  const router = new Router<ApiState>();

  router.get('/v1/admin/dead-letters', async (ctx) => {
    const q = ctx.query;
    const limit = q['limit'] === undefined ? 50 : Number(q['limit']);
    const before = q['before'] === undefined ? undefined : new Date(String(q['before']));
    const bad = (name: string, message: string) =>
      new HttpProblem('badRequest', `query parameter ${name} ${message}`, {
        errors: [{ pointer: `/query/${name}`, message }],
      });
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw bad('limit', 'must be 1 to 200');
    if (before && Number.isNaN(before.getTime())) throw bad('before', 'must be a date-time');
    for (const name of ['tenant', 'type'] as const) {
      const v = q[name];
      if (v !== undefined && (typeof v !== 'string' || v.length > 100)) throw bad(name, 'must be one short string');
    }
    const letters = await storeCall(() =>
      deps.letters.list({
        limit,
        ...(typeof q['tenant'] === 'string' ? { tenant: q['tenant'] } : {}),
        ...(typeof q['type'] === 'string' ? { type: q['type'] } : {}),
        ...(before ? { before } : {}),
      }),
    );
    const redriven = await storeCall(() => deps.log.redrivenAsMany(letters.map((l) => l._id)));
    ctx.body = { items: letters.map((l) => letterView(l, redriven.get(l._id) ?? null)) };
  });

  router.get('/v1/admin/dead-letters/:id', async (ctx) => {
    const id = ctx.params['id'] ?? '';
    const letter = id.length <= 200 ? await storeCall(() => deps.letters.get(id)) : null;
    if (!letter) throw new HttpProblem('notFound', 'no dead letter with that id');
    ctx.body = letterView(letter, await storeCall(() => deps.log.redrivenAs(letter._id)));
  });

  router.post('/v1/admin/dead-letters/:id/redrive', async (ctx) => {
    const id = ctx.params['id'] ?? '';
    if (!JOB_ID_PATTERN.test(id)) throw new HttpProblem('notFound', 'no dead letter for that job id');
    const result = await redrive(deps.redrive, id);
    ctx.status = result.outcome === 'redriven' ? 202 : 200;
    if (result.outcome === 'redriven') ctx.set('Location', jobPath(result.newJobId));
    ctx.body = { ...result, links: { job: jobPath(result.newJobId) } };
  });

  router.post('/v1/admin/dead-letters/redrive', async (ctx) => {
    const ids = parseJobIds(await readJsonBody(ctx, deps.maxBodyBytes));
    const results = [];
    for (const jobId of ids) {
      try {
        results.push(await redrive(deps.redrive, jobId));
      } catch (err) {
        if (!(err instanceof HttpProblem) || (err.kind !== 'notFound' && err.kind !== 'notRedrivable')) throw err;
        results.push({ outcome: err.kind === 'notFound' ? 'not-found' : 'not-redrivable', jobId, detail: err.message });
      }
    }
    ctx.body = { results };
  });

  router.get('/v1/admin/job-types', async (ctx) => {
    const controls = new Map((await storeCall(() => deps.controls.list())).map((c) => [c._id, c]));
    ctx.body = {
      items: deps.knownTypes.map((type) => {
        const c = controls.get(type);
        return {
          type,
          paused: c?.paused ?? false,
          reason: c?.reason ?? null,
          updatedAt: c?.updatedAt.toISOString() ?? null,
        };
      }),
    };
  });

  for (const action of ['pause', 'resume'] as const) {
    router.post(`/v1/admin/job-types/:type/${action}`, async (ctx) => {
      const type = ctx.params['type'] ?? '';
      if (!deps.knownTypes.includes(type)) throw new HttpProblem('notFound', 'no job type of that name');
      let reason: string | null = null;
      if (ctx.request.length) {
        const body = await readJsonBody(ctx, deps.maxBodyBytes);
        const r = (body as { reason?: unknown } | null)?.reason;
        const fields = Object.keys(body ?? {});
        if ((r !== undefined && (typeof r !== 'string' || r.length > 500)) || fields.some((f) => f !== 'reason')) {
          throw new HttpProblem('validation', 'send {"reason": "…"} (at most 500 characters) or no body', {
            errors: [{ pointer: '/reason', message: 'must be a string of at most 500 characters' }],
          });
        }
        reason = typeof r === 'string' ? r : null;
      }
      const doc = await storeCall(() => deps.controls.set(type, action === 'pause', reason));
      ctx.body = { type, paused: doc.paused, reason: doc.reason, updatedAt: doc.updatedAt.toISOString() };
    });
  }

  return router;
}
