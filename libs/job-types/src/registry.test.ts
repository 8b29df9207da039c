import { describe, expect, it } from 'vitest';
import { builtInJobTypes } from './catalog';
import { backoffMs, createJobTypeCatalog } from './registry';

const catalog = createJobTypeCatalog(builtInJobTypes);
const type = (name: string) => {
  const t = catalog.get(name);
  if (!t) throw new Error(`no ${name}`);
  return t;
};

describe('job type catalog', () => {
  it('declares the built-in types every test and benchmark uses', () => {
    expect([...catalog.names].sort()).toEqual(['cpu.hash', 'fail', 'flaky', 'report.generate', 'sleep']);
  });

  it('accepts valid payloads and locates every problem in an invalid one', () => {
    expect(catalog.checkPayload(type('sleep'), { ms: 10 })).toEqual([]);
    expect(catalog.checkPayload(type('report.generate'), { steps: 3, stepMs: 5 })).toEqual([]);
    expect(catalog.checkPayload(type('fail'), {})).toEqual([]);
    const errors = catalog.checkPayload(type('report.generate'), { steps: 0, stepMs: 'x', extra: 1 });
    expect(errors).toEqual(
      expect.arrayContaining([
        { pointer: '/payload/steps', message: 'must be >= 1' },
        { pointer: '/payload/stepMs', message: 'must be integer' },
        { pointer: '/payload/extra', message: 'is not an allowed property' },
      ]),
    );
    expect(catalog.checkPayload(type('sleep'), {})).toEqual([{ pointer: '/payload/ms', message: 'is required' }]);
    expect(catalog.checkPayload(type('sleep'), [1])).toEqual([{ pointer: '/payload', message: 'must be object' }]);
  });

  it('fills defaults and holds overrides to the type limits', () => {
    expect(catalog.resolveOptions(type('flaky'), {})).toEqual({
      ok: true,
      value: { maxAttempts: 5, timeoutMs: 600_000 },
    });
    expect(catalog.resolveOptions(type('sleep'), { maxAttempts: 2, timeoutMs: 5_000 })).toEqual({
      ok: true,
      value: { maxAttempts: 2, timeoutMs: 5_000 },
    });
    const bad = catalog.resolveOptions(type('sleep'), { maxAttempts: 11, timeoutMs: 10 });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.map((e) => e.pointer)).toEqual(['/options/maxAttempts', '/options/timeoutMs']);
  });

  it('refuses a catalog with a duplicate type or an impossible retry policy', () => {
    expect(() => createJobTypeCatalog([type('sleep'), type('sleep')])).toThrow(/declared twice/);
    expect(() =>
      createJobTypeCatalog([{ ...type('sleep'), retry: { ...type('sleep').retry, multiplier: 0.5 } }]),
    ).toThrow(/retry policy/);
  });

  it('backs off exponentially, capped, with jitter taken off the top', () => {
    const p = { maxAttempts: 10, initialBackoffMs: 1_000, multiplier: 2, maxBackoffMs: 5_000, jitter: 0.5 };
    expect([2, 3, 4, 5].map((a) => backoffMs(p, a, () => 0))).toEqual([1_000, 2_000, 4_000, 5_000]);
    expect(backoffMs(p, 3, () => 1)).toBe(1_000);
  });
});
