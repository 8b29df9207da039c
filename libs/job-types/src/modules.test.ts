import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInJobTypes } from './catalog';
import { loadJobTypeModules } from './modules';
import { createJobTypeCatalog } from './registry';

const example = resolve(__dirname, '../../../docs/examples/job-types/invoice-export.cjs');
const builtIns = builtInJobTypes.map((t) => t.name);

function moduleWith(source: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lh-types-')), 'types.cjs');
  writeFileSync(file, source);
  return file;
}

describe('loadJobTypeModules', () => {
  it('loads the documented example: a catalog entry the catalog accepts, and its handler', () => {
    const loaded = loadJobTypeModules(` ${example} ,`, builtIns);
    expect(loaded.definitions.map((d) => d.name)).toEqual(['invoice.export']);
    expect(typeof loaded.handlers.get('invoice.export')).toBe('function');
    const catalog = createJobTypeCatalog([...builtInJobTypes, ...loaded.definitions]);
    const type = catalog.get('invoice.export')!;
    expect(catalog.checkPayload(type, { period: '2026-10', invoices: 250 })).toEqual([]);
    expect(catalog.checkPayload(type, { period: 'October', invoices: 250 })[0]?.pointer).toBe('/payload/period');
  });

  it('loads nothing from an empty setting', () => {
    expect(loadJobTypeModules('', builtIns).definitions).toEqual([]);
  });

  it('refuses, naming the module, what it cannot use', () => {
    expect(() => loadJobTypeModules('/no/such/module.cjs', builtIns)).toThrow(
      /no\/such\/module.cjs could not be loaded/,
    );
    expect(() => loadJobTypeModules(moduleWith('module.exports = {};'), builtIns)).toThrow(
      /must export a non-empty array/,
    );
    const shadow = moduleWith("module.exports.jobTypes = [{ name: 'sleep', handler: async () => 1 }];");
    expect(() => loadJobTypeModules(shadow, builtIns)).toThrow(/sleep is already defined/);
    const noHandler = moduleWith("module.exports.jobTypes = [{ name: 'x.y' }];");
    expect(() => loadJobTypeModules(noHandler, builtIns)).toThrow(/handler must be/);
    const badName = moduleWith("module.exports.jobTypes = [{ name: 'Has Spaces', handler: async () => 1 }];");
    expect(() => loadJobTypeModules(badName, builtIns)).toThrow(/name must be/);
  });
});
