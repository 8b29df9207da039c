import type { Context, Next } from 'koa';
import type { Authenticator, Principal } from '../auth';
import { HttpProblem } from '../problem';
import type { RateLimiter } from '../rate-limit';

export interface ApiState {
  principal?: Principal;
}

/**
 * Every /v1 request names its principal by API key. Tenant keys work everywhere but
 * /v1/admin/; admin keys only there. Then the principal's token bucket is charged.
 */
export function authenticate(auth: Authenticator, limiter: RateLimiter) {
  return async (ctx: Context, next: Next) => {
    const principal = auth.authenticate(ctx.get('authorization') || undefined);
    if (!principal) {
      throw new HttpProblem('unauthorized', 'send a valid API key as "Authorization: Bearer <key>"', {
        headers: { 'WWW-Authenticate': 'Bearer realm="longhaul"' },
      });
    }
    const adminPath = ctx.path.startsWith('/v1/admin/');
    if (principal.kind === 'admin' && !adminPath) {
      throw new HttpProblem('forbidden', 'admin keys are valid only under /v1/admin/');
    }
    if (principal.kind === 'tenant' && adminPath) throw new HttpProblem('forbidden', 'this route needs an admin key');
    const wait = limiter.take(principal.kind === 'tenant' ? `t:${principal.tenant}` : 'admin');
    if (wait !== undefined) {
      throw new HttpProblem('rateLimited', 'too many requests for this tenant; slow down', {
        headers: { 'Retry-After': String(wait) },
      });
    }
    (ctx.state as ApiState).principal = principal;
    await next();
  };
}

export function tenantOf(ctx: Context): string {
  const principal = (ctx.state as ApiState).principal;
  if (principal?.kind !== 'tenant') throw new HttpProblem('forbidden', 'this route needs a tenant key');
  return principal.tenant;
}
