import { createHash } from 'node:crypto';
import { SettingError, type Setting } from '@longhaul/config';

/**
 * API keys. Keys are long random strings, so a fast hash (SHA-256) is the right way to hold
 * them: only the hashes stay in memory, and a presented key is hashed and looked up.
 */
export const TENANT_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const KEY_PATTERN = /^[A-Za-z0-9_~.+/=-]{32,256}$/;

export type Principal = { kind: 'tenant'; tenant: string } | { kind: 'admin' };

export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** `tenant:key,tenant:key` → key hash → tenant. Messages never echo a key. */
export function apiKeysSetting(variable: string): Setting<ReadonlyMap<string, string>> {
  return {
    variable,
    describe: 'comma-separated tenant:key pairs',
    parse(raw) {
      const map = new Map<string, string>();
      const items = splitList(raw ?? '');
      if (items.length === 0) throw new SettingError('is required: at least one tenant:key pair');
      items.forEach((item, i) => {
        const at = item.indexOf(':');
        const tenant = at < 0 ? '' : item.slice(0, at);
        const key = at < 0 ? '' : item.slice(at + 1);
        if (!TENANT_PATTERN.test(tenant)) {
          throw new SettingError(`entry ${i + 1}: the tenant must be lowercase letters, digits, _ or - (at most 63)`);
        }
        if (!KEY_PATTERN.test(key)) {
          throw new SettingError(`entry ${i + 1} (tenant ${tenant}): the key must be 32–256 URL-safe characters`);
        }
        const hash = hashKey(key);
        if (map.has(hash)) throw new SettingError(`entry ${i + 1}: the same key is listed twice`);
        map.set(hash, tenant);
      });
      return map;
    },
  };
}

export function adminKeysSetting(variable: string): Setting<ReadonlySet<string>> {
  return {
    variable,
    describe: 'comma-separated admin keys',
    parse(raw) {
      const items = splitList(raw ?? '');
      items.forEach((key, i) => {
        if (!KEY_PATTERN.test(key)) throw new SettingError(`entry ${i + 1}: a key must be 32–256 URL-safe characters`);
      });
      return new Set(items.map(hashKey));
    },
  };
}

export interface Authenticator {
  /** The principal a request's Authorization header names, or undefined when it names none. */
  authenticate(header: string | undefined): Principal | undefined;
}

export function createAuthenticator(apiKeys: ReadonlyMap<string, string>, adminKeys: ReadonlySet<string>) {
  return {
    authenticate(header: string | undefined): Principal | undefined {
      const m = header === undefined ? null : /^Bearer ([^\s]{1,512})$/i.exec(header);
      if (!m?.[1]) return undefined;
      const hash = hashKey(m[1]);
      const tenant = apiKeys.get(hash);
      if (tenant !== undefined) return { kind: 'tenant', tenant };
      return adminKeys.has(hash) ? { kind: 'admin' } : undefined;
    },
  } satisfies Authenticator;
}
