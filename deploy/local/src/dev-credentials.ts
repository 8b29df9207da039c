import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DevCredentials {
  /** Environment for the services: API keys and the secrets-at-rest key. */
  readonly env: Record<string, string>;
  /** The development key to print, when we made it (never a key the user configured). */
  readonly devKey?: { tenant: string; key: string; file: string };
}

/**
 * `npm start` with no LONGHAUL_API_KEYS creates a development key for tenant `dev` (and a
 * secrets key) once, saves them under the data folder (mode 600) and reuses them after.
 */
export function devCredentials(dataDir: string, env: NodeJS.ProcessEnv): DevCredentials {
  const file = join(dataDir, 'dev-credentials.json');
  let saved: { tenant: string; apiKey: string; secretsKey: string };
  if (existsSync(file)) {
    saved = JSON.parse(readFileSync(file, 'utf8')) as typeof saved;
  } else {
    saved = {
      tenant: 'dev',
      apiKey: `lh_dev_${randomBytes(24).toString('base64url')}`,
      secretsKey: randomBytes(32).toString('base64'),
    };
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
  }
  const configured = env['LONGHAUL_API_KEYS'];
  return {
    env: {
      LONGHAUL_API_KEYS: configured ?? `${saved.tenant}:${saved.apiKey}`,
      LONGHAUL_SECRETS_KEY: env['LONGHAUL_SECRETS_KEY'] ?? saved.secretsKey,
      // Local receivers listen on localhost over plain http.
      LONGHAUL_WEBHOOK_ALLOW_HTTP: env['LONGHAUL_WEBHOOK_ALLOW_HTTP'] ?? 'true',
      LONGHAUL_WEBHOOK_ALLOW_CIDRS:
        env['LONGHAUL_WEBHOOK_ALLOW_CIDRS'] ?? '127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7',
    },
    ...(configured === undefined ? { devKey: { tenant: saved.tenant, key: saved.apiKey, file } } : {}),
  };
}
