import Router from '@koa/router';
import { generateSecret, rotateSecrets, signingSecrets, type SecretBox, type StoredSecret } from '@longhaul/webhooks';
import { HttpProblem } from '../problem';
import type { SigningSecretStore } from '../signing-secrets';
import { signingSecretView } from '../webhook-view';
import { noStore } from './webhooks';
import { tenantOf, type ApiState } from './auth';

export interface SigningSecretRoutesDeps {
  readonly signingSecrets: SigningSecretStore;
  readonly box: SecretBox;
  readonly overlapMs: number;
}

/**
 * The tenant's signing secret (it signs per-job webhooks given without their own secret):
 * created on first use, its value shown once — to the first reader, or to whoever rotates it.
 */
export function signingSecretRoutes(deps: SigningSecretRoutesDeps): Router<ApiState> {
  const router = new Router<ApiState>();
  const fresh = (secret: string, now: Date): StoredSecret => ({
    sealed: deps.box.seal(secret),
    createdAt: now,
    expiresAt: null,
  });

  router.get('/v1/webhook-signing-secret', async (ctx) => {
    const tenant = tenantOf(ctx);
    const now = new Date();
    const doc = await deps.signingSecrets.ensure(tenant, () => fresh(generateSecret(), now));
    const shown = await deps.signingSecrets.reveal(doc, now);
    noStore(ctx);
    ctx.body = {
      ...signingSecretView(doc, now),
      ...(shown ? { secret: signingSecrets(doc.secrets, deps.box, now)[0] } : {}),
    };
  });

  router.post('/v1/webhook-signing-secret/rotate', async (ctx) => {
    const tenant = tenantOf(ctx);
    const now = new Date();
    const doc = await deps.signingSecrets.find(tenant);
    const secret = generateSecret();
    const next = doc ? rotateSecrets(doc.secrets, deps.box.seal(secret), deps.overlapMs, now) : [fresh(secret, now)];
    if (!(await deps.signingSecrets.replace(tenant, doc, next, now))) {
      throw new HttpProblem(
        'concurrentChange',
        'the signing secret changed in another request at the same time; retry',
      );
    }
    const stored = doc
      ? { ...doc, secrets: next, revealedAt: now, updatedAt: now }
      : { _id: tenant, secrets: next, revealedAt: now, createdAt: now, updatedAt: now };
    noStore(ctx);
    ctx.body = { secret, ...signingSecretView(stored, now) };
  });

  return router;
}
