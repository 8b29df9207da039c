import type Router from '@koa/router';
import Koa from 'koa';
import type { Logger, OpsHandler } from '@longhaul/runtime';
import type { Authenticator } from './auth';
import type { IngressMetrics } from './metrics';
import { HttpProblem, problemTypes, sendProblem } from './problem';
import type { RateLimiter } from './rate-limit';
import { authenticate, type ApiState } from './routes/auth';

/**
 * The HTTP application, in the order a request meets it: problem documents for every error,
 * RED metrics, the ops endpoints, authentication and rate limiting for /v1, the routes, and a
 * problem document for anything unknown. Errors never leak internals to the client.
 */
export function createApp(deps: {
  ops: OpsHandler;
  logger: Logger;
  metrics: IngressMetrics;
  auth: Authenticator;
  limiter: RateLimiter;
  routers: readonly Router<ApiState>[];
}): Koa {
  const app = new Koa({ proxy: false });

  app.use(async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } catch (err) {
      if (err instanceof HttpProblem) {
        if (err.toProblem().status >= 500) deps.logger.warn({ err: err.cause ?? err, path: ctx.path }, err.message);
        sendProblem(ctx, err.toProblem(), err.extra.headers);
      } else {
        deps.logger.error({ err, method: ctx.method, path: ctx.path }, 'request failed');
        sendProblem(ctx, { ...problemTypes.internal, detail: 'the request could not be completed' });
      }
    } finally {
      const route = typeof ctx['_matchedRoute'] === 'string' ? ctx['_matchedRoute'] : 'unmatched';
      const labels = { method: ctx.method, route, status: String(ctx.status) };
      deps.metrics.httpRequests.inc(labels);
      deps.metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    }
  });

  app.use(async (ctx, next) => {
    ctx.respond = false;
    if (await deps.ops(ctx.req, ctx.res)) return;
    ctx.respond = true;
    await next();
  });

  const requireKey = authenticate(deps.auth, deps.limiter);
  app.use((ctx, next) => (ctx.path === '/v1' || ctx.path.startsWith('/v1/') ? requireKey(ctx, next) : next()));

  for (const router of deps.routers) app.use(router.routes());

  app.use((ctx) => {
    const allowed = deps.routers.flatMap((r) =>
      r.match(ctx.path, ctx.method).path.flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD')),
    );
    if (allowed.length > 0) {
      throw new HttpProblem('methodNotAllowed', `${ctx.method} is not allowed here; use ${allowed.join(', ')}`, {
        headers: { Allow: [...new Set(allowed)].join(', ') },
      });
    }
    throw new HttpProblem('notFound', `no route for ${ctx.method} ${ctx.path.slice(0, 200)}`);
  });

  return app;
}
