import { describe, expect, it } from 'vitest';
import { UsageError } from './exit-codes';
import { intOption, listOption, parsePayload, resolveConnection, timeOption } from './settings';

describe('resolveConnection', () => {
  it('takes flags before the environment', () => {
    const env = { LONGHAUL_API_URL: 'http://env:1', LONGHAUL_API_KEY: 'env-key', LONGHAUL_ADMIN_KEY: 'env-admin' };
    expect(resolveConnection({ url: 'https://flag', key: 'flag-key' }, env)).toEqual({
      baseUrl: 'https://flag',
      apiKey: 'flag-key',
      adminKey: 'env-admin',
    });
    expect(resolveConnection({}, env)).toEqual({ baseUrl: 'http://env:1', apiKey: 'env-key', adminKey: 'env-admin' });
  });

  it('inside an ingress container: its own port and its first admin key', () => {
    expect(resolveConnection({}, { LONGHAUL_HTTP_PORT: '9000', LONGHAUL_ADMIN_KEYS: ' first , second' })).toEqual({
      baseUrl: 'http://127.0.0.1:9000',
      apiKey: undefined,
      adminKey: 'first',
    });
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => resolveConnection({ url: 'localhost:8080' }, {})).toThrow(UsageError);
  });
});

describe('parsePayload', () => {
  const files: Record<string, string> = { 'p.json': '{"steps": 3}', 'bad.json': '{steps' };
  const read = (path: string) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error('no'), { code: 'ENOENT' });
    return text;
  };
  it('reads JSON text or @file', () => {
    expect(parsePayload('{"ms": 5}', read)).toEqual({ ms: 5 });
    expect(parsePayload('@p.json', read)).toEqual({ steps: 3 });
  });
  it('says which file is missing or not JSON', () => {
    expect(() => parsePayload('@missing.json', read)).toThrow(/cannot read the payload file missing.json \(ENOENT\)/);
    expect(() => parsePayload('@bad.json', read)).toThrow(/bad.json is not JSON/);
    expect(() => parsePayload('{nope', read)).toThrow(/--payload value is not JSON/);
    expect(() => parsePayload('@', read)).toThrow(UsageError);
  });
});

describe('option parsers', () => {
  it('intOption keeps whole numbers within bounds', () => {
    expect(intOption('--limit', 1, 100)('20')).toBe(20);
    for (const bad of ['0', '101', '1.5', 'x', '']) expect(() => intOption('--limit', 1, 100)(bad)).toThrow(UsageError);
  });
  it('timeOption takes a date-time or a duration back from now', () => {
    const now = () => Date.parse('2025-06-01T12:00:00Z');
    expect(timeOption('--since', now)('15m')).toBe('2025-06-01T11:45:00.000Z');
    expect(timeOption('--since', now)('2d')).toBe('2025-05-30T12:00:00.000Z');
    expect(timeOption('--since', now)('2025-05-01T00:00:00+02:00')).toBe('2025-04-30T22:00:00.000Z');
    expect(() => timeOption('--since', now)('yesterday')).toThrow(UsageError);
  });
  it('listOption refuses unknown values', () => {
    expect(listOption('--events', ['a', 'b'])('a, b')).toEqual(['a', 'b']);
    expect(() => listOption('--events', ['a', 'b'])('a,c')).toThrow(/unknown c/);
  });
});
