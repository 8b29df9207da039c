import Koa from 'koa';
import type { OpsHandler } from '@longhaul/runtime';
import type { Logger } from '@longhaul/runtime';
import { sendProblem } from './problem';

/**
 * The HTTP application: operational endpoints first, then the API routes, then a problem
 * document for anything unknown. Errors never leak internals to the client.
 */
export function createApp(deps: { ops: OpsHandler; logger: Logger }): Koa {
  const app = new Koa({ proxy: false });

  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      deps.logger.error({ err, method: ctx.method, path: ctx.path }, 'request failed');
      sendProblem(ctx, { type: 'about:blank', title: 'Internal Server Error', status: 500 });
    }
  });

  app.use(async (ctx, next) => {
    ctx.respond = false;
    if (await deps.ops(ctx.req, ctx.res)) return;
    ctx.respond = true;
    await next();
  });

  app.use((ctx) => {
    sendProblem(ctx, {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: `no route for ${ctx.method} ${ctx.path}`,
    });
  });

  return app;
}
