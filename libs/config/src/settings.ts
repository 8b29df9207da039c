/**
 * Typed environment settings. Each setting names its variable, parses the raw string and
 * says what was wrong in words an operator can act on. `loadConfig` reports every bad
 * variable at once instead of failing on the first.
 */
export interface Setting<T> {
  readonly variable: string;
  readonly describe: string;
  /** Parse the raw value; `undefined` means the variable is unset or empty. Throws SettingError. */
  parse(raw: string | undefined): T;
}

export class SettingError extends Error {}

function required<T>(raw: string | undefined, fallback: T | undefined): string | T {
  if (raw !== undefined && raw.trim() !== '') return raw.trim();
  if (fallback !== undefined) return fallback;
  throw new SettingError('is required but not set');
}

function make<T>(variable: string, describe: string, parse: (raw: string | undefined) => T): Setting<T> {
  return { variable, describe, parse };
}

export function stringSetting(
  variable: string,
  opts: { default?: string; pattern?: RegExp; patternHint?: string; maxLength?: number } = {},
): Setting<string> {
  return make(variable, 'string', (raw) => {
    const value = required(raw, opts.default);
    if (opts.maxLength !== undefined && value.length > opts.maxLength) {
      throw new SettingError(`must be at most ${opts.maxLength} characters`);
    }
    if (opts.pattern && !opts.pattern.test(value)) {
      throw new SettingError(`must be ${opts.patternHint ?? `a string matching ${String(opts.pattern)}`}`);
    }
    return value;
  });
}

export function intSetting(
  variable: string,
  opts: { default?: number; min?: number; max?: number } = {},
): Setting<number> {
  const min = opts.min ?? Number.MIN_SAFE_INTEGER;
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  return make(variable, 'integer', (raw) => {
    const value = required(raw, opts.default);
    const n = typeof value === 'number' ? value : /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n)) throw new SettingError(`must be a whole number, got "${String(value)}"`);
    if (n < min || n > max) throw new SettingError(`must be between ${min} and ${max}, got ${n}`);
    return n;
  });
}

export function portSetting(variable: string, fallback?: number): Setting<number> {
  const inner = intSetting(variable, { min: 1, max: 65535, ...(fallback === undefined ? {} : { default: fallback }) });
  return { ...inner, describe: 'TCP port' };
}

export function booleanSetting(variable: string, fallback?: boolean): Setting<boolean> {
  return make(variable, 'boolean', (raw) => {
    const value = required(raw, fallback);
    if (typeof value === 'boolean') return value;
    const lower = value.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(lower)) return true;
    if (['false', '0', 'no', 'off'].includes(lower)) return false;
    throw new SettingError(`must be true or false, got "${value}"`);
  });
}

export function enumSetting<const T extends string>(variable: string, values: readonly T[], fallback?: T): Setting<T> {
  return make(variable, `one of ${values.join(', ')}`, (raw) => {
    const value = required(raw, fallback);
    if (!(values as readonly string[]).includes(value)) {
      throw new SettingError(`must be one of ${values.join(', ')}, got "${value}"`);
    }
    return value as T;
  });
}

export function urlSetting(
  variable: string,
  opts: { default?: string; protocols: readonly string[] },
): Setting<string> {
  return make(variable, `URL (${opts.protocols.join(', ')})`, (raw) => {
    const value = required(raw, opts.default);
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new SettingError(`must be a URL, got "${redactUrl(value)}"`);
    }
    if (!opts.protocols.includes(url.protocol.replace(/:$/, ''))) {
      throw new SettingError(`must use ${opts.protocols.join(' or ')}, got "${url.protocol}"`);
    }
    return value.replace(/\/+$/, '');
  });
}

/** host:port pairs, comma separated (Kafka bootstrap servers). */
export function hostPortListSetting(variable: string, fallback?: string): Setting<string[]> {
  return make(variable, 'comma-separated host:port list', (raw) => {
    const value = required(raw, fallback);
    const items = value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (items.length === 0) throw new SettingError('must name at least one host:port');
    for (const item of items) {
      // host is a name, IPv4 or bracketed IPv6; port 1-65535
      const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(item);
      const port = m ? Number(m[2]) : 0;
      if (!m || port < 1 || port > 65535) throw new SettingError(`"${item}" is not host:port`);
    }
    return items;
  });
}

/** Comma-separated names, each matching `pattern`, at most `max` of them; unset means none. */
export function nameListSetting(
  variable: string,
  opts: { pattern: RegExp; patternHint: string; max: number },
): Setting<readonly string[]> {
  return make(variable, 'comma-separated list', (raw) => {
    const items = (raw ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (items.length > opts.max) throw new SettingError(`must name at most ${opts.max} entries, got ${items.length}`);
    const bad = items.filter((item) => !opts.pattern.test(item));
    if (bad.length > 0)
      throw new SettingError(`entries must be ${opts.patternHint}; bad: ${bad.slice(0, 3).join(', ')}`);
    return [...new Set(items)];
  });
}

/** Hide credentials in URLs before they reach an error message or a log. */
export function redactUrl(value: string): string {
  return value.replace(/\/\/([^/@]*)@/, '//***@');
}
