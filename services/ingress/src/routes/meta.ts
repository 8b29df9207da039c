import Router from '@koa/router';
import type { ApiState } from './auth';

/** Routes about the API itself, open to anyone: the OpenAPI document. */
export function metaRoutes(openapi: object): Router<ApiState> {
  const router = new Router<ApiState>();
  const body = JSON.stringify(openapi);
  router.get('/openapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = body;
  });
  return router;
}
