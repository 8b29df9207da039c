import { UsageError } from './exit-codes';

/** The global options every command takes. */
export interface GlobalOptions {
  readonly url?: string;
  readonly key?: string;
  readonly adminKey?: string;
  readonly json?: boolean;
}

export interface Connection {
  readonly baseUrl: string;
  readonly apiKey: string | undefined;
  readonly adminKey: string | undefined;
}

/**
 * Where the API is and which keys to send: flags first, then LONGHAUL_API_URL, LONGHAUL_API_KEY
 * and LONGHAUL_ADMIN_KEY. Inside an ingress container (`kubectl exec … -- longhaul`) the API is
 * on LONGHAUL_HTTP_PORT and the first of LONGHAUL_ADMIN_KEYS serves the operator commands.
 */
export function resolveConnection(opts: GlobalOptions, env: NodeJS.ProcessEnv): Connection {
  const baseUrl = opts.url ?? env['LONGHAUL_API_URL'] ?? `http://127.0.0.1:${env['LONGHAUL_HTTP_PORT'] ?? '8080'}`;
  if (!/^https?:\/\/[^/\s]+/.test(baseUrl))
    throw new UsageError(`the API URL must be http(s)://host[:port], not "${baseUrl}"`);
  const firstAdminKey = (env['LONGHAUL_ADMIN_KEYS'] ?? '').split(',')[0]?.trim() || undefined;
  return {
    baseUrl,
    apiKey: opts.key ?? (env['LONGHAUL_API_KEY'] || undefined),
    adminKey: opts.adminKey ?? (env['LONGHAUL_ADMIN_KEY'] || undefined) ?? firstAdminKey,
  };
}

/** `--payload`: `@file.json` (`@-` for standard input) or JSON text. */
export function parsePayload(arg: string, read: (path: string) => string): unknown {
  let text = arg;
  let where = 'the --payload value';
  if (arg.startsWith('@')) {
    const path = arg.slice(1);
    if (path === '') throw new UsageError('--payload @ needs a file name: --payload @payload.json');
    where = path === '-' ? 'standard input' : path;
    try {
      text = read(path === '-' ? '/dev/stdin' : path);
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw new UsageError(`cannot read the payload file ${path}${code ? ` (${code})` : ''}`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`${where} is not JSON: ${(err as Error).message}`);
  }
}

/** A whole number option within bounds, for commander's argument parsers. */
export function intOption(name: string, min: number, max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || n < min || n > max) {
      throw new UsageError(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
    }
    return n;
  };
}

/** A time option: RFC 3339, or a duration back from now (`30s`, `15m`, `2h`, `7d`). */
export function timeOption(name: string, now: () => number = Date.now) {
  return (raw: string): string => {
    const ago = /^(\d+)(s|m|h|d)$/.exec(raw.trim());
    if (ago) {
      const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[ago[2] as 's' | 'm' | 'h' | 'd'];
      return new Date(now() - Number(ago[1]) * unit).toISOString();
    }
    const at = Date.parse(raw);
    if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(at)) {
      throw new UsageError(
        `${name} must be a date-time (2025-06-01T12:00:00Z) or a duration back from now (15m, 2h, 7d), not "${raw}"`,
      );
    }
    return new Date(at).toISOString();
  };
}

/** A comma-separated list restricted to known values. */
export function listOption(name: string, allowed: readonly string[]) {
  return (raw: string): string[] => {
    const items = raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const unknown = items.filter((i) => !allowed.includes(i));
    if (unknown.length > 0)
      throw new UsageError(`${name}: unknown ${unknown.join(', ')} (known: ${allowed.join(', ')})`);
    return items;
  };
}
