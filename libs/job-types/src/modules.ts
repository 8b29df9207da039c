import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import type { JobTypeDefinition } from './catalog';
import type { JobHandler } from './handler';

/** A team's own job type: its catalog entry and its handler, from a module named in config. */
export interface JobTypeModuleEntry extends JobTypeDefinition {
  readonly handler: JobHandler<never, unknown, never>;
}

export interface LoadedJobTypes {
  readonly definitions: readonly JobTypeDefinition[];
  readonly handlers: ReadonlyMap<string, JobHandler<never, unknown, never>>;
}

const NAME = /^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/;

/**
 * Load the modules listed in LONGHAUL_JOB_TYPES_MODULES (paths, comma-separated; CommonJS, or
 * ES modules without top-level await). Each exports `jobTypes`: an array of catalog entries,
 * each with its `handler`. Ingress uses the entries (validation, OpenAPI); the processor also
 * runs the handlers. Anything wrong fails the start, naming the module and the entry.
 */
export function loadJobTypeModules(list: string, builtInNames: readonly string[], cwd = process.cwd()): LoadedJobTypes {
  const paths = list
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const requireFrom = createRequire(resolve(cwd, 'noop.js'));
  const definitions: JobTypeDefinition[] = [];
  const handlers = new Map<string, JobHandler<never, unknown, never>>();
  const taken = new Set(builtInNames);
  for (const path of paths) {
    const file = isAbsolute(path) ? path : resolve(cwd, path);
    let loaded: unknown;
    try {
      loaded = requireFrom(file);
    } catch (err) {
      throw new Error(`job type module ${path} could not be loaded: ${(err as Error).message}`, { cause: err });
    }
    const entries = (loaded as { jobTypes?: unknown } | null)?.jobTypes;
    if (!Array.isArray(entries) || entries.length === 0) {
      throw new Error(`job type module ${path} must export a non-empty array \`jobTypes\``);
    }
    for (const [i, raw] of (entries as unknown[]).entries()) {
      const entry = raw as Partial<JobTypeModuleEntry> | null;
      const where = `job type module ${path}, jobTypes[${i}]`;
      if (!entry || typeof entry.name !== 'string' || !NAME.test(entry.name)) {
        throw new Error(`${where}: name must be lower-case words joined by ".", "_" or "-"`);
      }
      if (taken.has(entry.name)) throw new Error(`${where}: job type ${entry.name} is already defined`);
      if (typeof entry.handler !== 'function') throw new Error(`${where}: handler must be an async function`);
      const { handler, ...definition } = entry as JobTypeModuleEntry;
      taken.add(entry.name);
      definitions.push(definition);
      handlers.set(entry.name, handler);
    }
  }
  return { definitions, handlers };
}
