import { PassThrough } from 'node:stream';
import Router from '@koa/router';
import type { JobStateChanged } from '@longhaul/contracts';
import type { Logger } from '@longhaul/runtime';
import { jobSnapshot, webhookEventType, type WebhookJobSnapshot } from '@longhaul/webhooks';
import type { JobReads } from '../job-reads';
import { isTerminal, type JobView } from '../job-view';
import { HttpProblem } from '../problem';
import type { StateFollower } from '../state-follower';
import { tenantOf, type ApiState } from './auth';

export interface JobEventRoutesDeps {
  readonly reads: JobReads;
  readonly follower: StateFollower;
  readonly logger: Logger;
  /** Streams one process keeps open at most (each holds a socket and a subscription). */
  readonly maxStreams: number;
  readonly keepAliveMs?: number;
}

/** The snapshot a stream starts with, from the read model (same shape as a change's). */
function snapshotOfView(view: JobView, version: number): WebhookJobSnapshot {
  return {
    id: view.id,
    type: view.type,
    status: view.status,
    sequence: version,
    attempt: view.attempt,
    maxAttempts: view.maxAttempts,
    progress: view.progress && {
      percent: view.progress.percent,
      stage: view.progress.stage,
      message: view.progress.message,
    },
    ...(view.status === 'succeeded' ? { result: view.result } : {}),
    ...(view.error ? { error: view.error } : {}),
    nextAttemptAt: view.nextAttemptAt,
    createdAt: view.createdAt,
    startedAt: view.startedAt,
    finishedAt: view.finishedAt,
  };
}

const frame = (id: number, event: string, data: unknown) =>
  `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * `GET /v1/jobs/{id}/events`, server-sent events: the job's current state first (`job.state`),
 * then each status or progress change as the projector accepts it (`job.started`,
 * `job.progress`, `job.retrying`, `job.succeeded`, `job.failed`, `job.cancelled`), ending after
 * the final one. Event ids are the job's sequence (the read model's version). With
 * `Last-Event-ID` the stream resumes by sending the current state if it is newer than that id
 * (the changes in between are not replayed: the state supersedes them), then continues.
 */
export function jobEventRoutes(deps: JobEventRoutesDeps): Router<ApiState> {
  const router = new Router<ApiState>();
  const keepAliveMs = deps.keepAliveMs ?? 15_000;

  router.get('/v1/jobs/:id/events', async (ctx) => {
    const tenant = tenantOf(ctx);
    const id = ctx.params['id'] ?? '';
    const lastEventHeader = ctx.get('last-event-id');
    let lastSent = -1;
    if (lastEventHeader !== '') {
      if (!/^\d{1,9}$/.test(lastEventHeader))
        throw new HttpProblem('badRequest', 'Last-Event-ID must be an event id this stream sent', {
          errors: [{ pointer: '/headers/last-event-id', message: 'is not a whole number' }],
        });
      lastSent = Number(lastEventHeader);
    }
    if (deps.follower.size() >= deps.maxStreams)
      throw new HttpProblem('unavailable', 'too many event streams are open here; try again shortly', {
        headers: { 'Retry-After': '5' },
      });

    // Subscribe before reading the current state, so no change can fall between the two.
    const early: JobStateChanged[] = [];
    let deliver: (c: JobStateChanged) => void = (c) => early.push(c);
    const unsubscribe = deps.follower.subscribe(id, (c) => deliver(c));
    let found: Awaited<ReturnType<JobReads['find']>>;
    try {
      found = await deps.reads.find(id, tenant);
    } catch (err) {
      unsubscribe();
      throw err;
    }
    if (!found) {
      unsubscribe();
      throw new HttpProblem('notFound', 'no job with that id for this tenant');
    }

    const stream = new PassThrough();
    ctx.status = 200;
    ctx.type = 'text/event-stream';
    ctx.set('Cache-Control', 'no-cache, no-transform');
    ctx.set('X-Accel-Buffering', 'no');
    ctx.body = stream;
    ctx.req.socket.setNoDelay(true);

    let ended = false;
    const keepAlive = setInterval(() => stream.write(': keep-alive\n\n'), keepAliveMs);
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(keepAlive);
      unsubscribe();
      stream.end();
    };
    ctx.req.on('close', end);
    stream.on('error', end);

    stream.write(`retry: 2000\n\n`);
    if (found.version > lastSent) {
      stream.write(frame(found.version, 'job.state', snapshotOfView(found.view, found.version)));
      lastSent = Math.max(lastSent, found.version);
    }
    if (isTerminal(found.view.status)) return end();
    deliver = (c) => {
      // Only status and progress changes (a checkpoint, the request's late arrival or the
      // dead-letter note change nothing a stream shows).
      const type = webhookEventType(c);
      if (ended || c.version <= lastSent || type === null) return;
      lastSent = c.version;
      stream.write(frame(c.version, type, jobSnapshot(c)));
      if (isTerminal(c.status as JobView['status'])) end();
    };
    for (const c of early) deliver(c);
  });

  return router;
}
