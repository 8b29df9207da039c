import { createHash } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import { stringify } from 'safe-stable-stringify';
import { newId } from '../ids';
import type { EventCodec } from '@longhaul/contracts';
import type { Logger } from '@longhaul/runtime';
import { activeTraceHeaders, tracingEnabled } from '@longhaul/telemetry';
import { acceptJob, type AcceptDeps } from '../accept-job';
import { storeCall } from '../store-call';
import type { AcceptanceStore } from '../acceptance-store';
import { readJsonBody } from '../body';
import { parseListQuery, type JobReads } from '../job-reads';
import { isTerminal, jobPath } from '../job-view';
import { HttpProblem } from '../problem';
import type { Publish } from '@longhaul/kafka';
import type { ValidateSubmission } from '../submission';
import { tenantOf, type ApiState } from './auth';

export interface JobRoutesDeps {
  readonly accept: AcceptDeps;
  readonly reads: JobReads;
  readonly acceptances: AcceptanceStore;
  readonly validate: ValidateSubmission;
  readonly codec: EventCodec;
  readonly publish: Publish;
  readonly logger: Logger;
  readonly knownTypes: readonly string[];
  readonly maxBodyBytes: number;
  readonly pollAfterSeconds: number;
}

/** Idempotency-Key: an sf-string (quoted) per the draft, or a bare token, 1–255 visible characters. */
export function parseIdempotencyKey(raw: string): string | undefined {
  if (raw === '') return undefined;
  const m = /^"([\x20-\x21\x23-\x5b\x5d-\x7e]{1,255})"$/.exec(raw) ?? /^([\x21-\x7e]{1,255})$/.exec(raw);
  if (!m?.[1] || m[1].trim() === '') {
    throw new HttpProblem('badRequest', 'Idempotency-Key must be 1 to 255 visible ASCII characters', {
      errors: [{ pointer: '/headers/idempotency-key', message: 'is not a valid key' }],
    });
  }
  return m[1];
}

/**
 * The trace context the job's messages carry: this request's span while tracing is on (a child
 * of the caller's `traceparent`, which the HTTP instrumentation read); otherwise the caller's own,
 * passed on when well formed. Stored with the acceptance, so the outbox relay sends the same.
 */
function traceHeaders(ctx: Context): Record<string, string> {
  if (tracingEnabled()) return activeTraceHeaders();
  const out: Record<string, string> = {};
  const traceparent = ctx.get('traceparent');
  if (/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/.test(traceparent)) {
    out['traceparent'] = traceparent;
    const tracestate = ctx.get('tracestate');
    if (tracestate !== '' && tracestate.length <= 512) out['tracestate'] = tracestate;
  }
  return out;
}

/** Weak comparison: W/"x" matches "x"; `*` matches any current representation. */
export function ifNoneMatch(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => strip(t) === strip(etag));
}

const notFound = (id: string) =>
  new HttpProblem('notFound', `no job ${/^[0-9A-Za-z]{1,40}$/.test(id) ? id : 'with that id'} for this tenant`);

export function jobRoutes(deps: JobRoutesDeps): Router<ApiState> {
  const router = new Router<ApiState>();

  router.post('/v1/jobs', async (ctx) => {
    const tenant = tenantOf(ctx);
    const key = parseIdempotencyKey(ctx.get('idempotency-key'));
    const body = await readJsonBody(ctx, deps.maxBodyBytes);
    const submission = await deps.validate(body);
    const fingerprint = createHash('sha256')
      .update(`POST /v1/jobs\n${stringify(body) ?? ''}`)
      .digest('base64url');
    const response = await acceptJob(deps.accept, {
      tenant,
      submission,
      idempotency: key === undefined ? null : { key, fingerprint },
      traceHeaders: traceHeaders(ctx),
    });
    ctx.status = response.status;
    for (const [name, value] of Object.entries(response.headers)) ctx.set(name, value);
    ctx.body = response.body;
  });

  router.get('/v1/jobs', async (ctx) => {
    const tenant = tenantOf(ctx);
    const query = parseListQuery(ctx.query, deps.knownTypes);
    const { items, nextCursor } = await deps.reads.list(tenant, query);
    const params = new URLSearchParams(ctx.querystring);
    params.delete('cursor');
    const next =
      nextCursor === null ? null : `/v1/jobs?${new URLSearchParams([...params, ['cursor', nextCursor]]).toString()}`;
    ctx.set('Cache-Control', 'private, no-cache');
    ctx.body = { items, nextCursor, links: { self: ctx.url, next } };
  });

  router.get('/v1/jobs/:id', async (ctx) => {
    const tenant = tenantOf(ctx);
    const found = await deps.reads.find(ctx.params['id'] ?? '', tenant);
    if (!found) throw notFound(ctx.params['id'] ?? '');
    const body = JSON.stringify(found.view);
    ctx.set('Cache-Control', 'private, no-cache');
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    ctx.set('ETag', etag);
    if (!isTerminal(found.view.status)) ctx.set('Retry-After', String(deps.pollAfterSeconds));
    // RFC 9110 §13.1.2, evaluated by the origin whatever Cache-Control the request carries
    // (koa's `fresh` gives up on `no-cache`, which fetch() adds to conditional requests).
    if (ifNoneMatch(ctx.get('if-none-match'), etag)) {
      ctx.status = 304;
      return;
    }
    ctx.type = 'application/json';
    ctx.body = body;
  });

  router.post('/v1/jobs/:id/cancel', async (ctx) => {
    const tenant = tenantOf(ctx);
    const id = ctx.params['id'] ?? '';
    const found = await deps.reads.find(id, tenant);
    if (!found) throw notFound(id);
    if (isTerminal(found.view.status)) {
      throw new HttpProblem(
        'alreadyFinished',
        `the job has already ${found.view.status === 'cancelled' ? 'been cancelled' : found.view.status}`,
      );
    }
    // The durable flag first (a processor reads it when it takes or renews a lease), then the
    // broadcast, which only makes the abort fast: its failure does not undo the cancel.
    const record =
      found.acceptance && (await storeCall(() => deps.acceptances.requestCancel(found.acceptance!, new Date())));
    if (!record) throw notFound(id);
    try {
      await deps.publish(
        await deps.codec.encode({
          eventId: newId(),
          eventType: 'JobCancelRequested',
          jobId: id,
          tenant,
          jobType: record.type,
          attempt: Math.max(1, found.view.attempt),
          epoch: 0,
          sequence: 0,
          time: Date.now(),
          reason: null,
        }),
      );
    } catch (err) {
      deps.logger.warn({ err, jobId: id }, 'cancel broadcast failed; processors will see the durable flag');
    }
    ctx.status = 202;
    ctx.set('Location', jobPath(id));
    ctx.body = { ...found.view, cancelRequested: true };
  });

  return router;
}
