import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Profile } from './ports';

/** Where things live: downloads and builds in the user cache, a run's state in the checkout. */
export interface Layout {
  readonly root: string;
  readonly cacheDir: string;
  readonly dataDir: string;
  readonly logDir: string;
}

export function layoutFor(profile: Profile, env: NodeJS.ProcessEnv): Layout {
  const root = resolve(__dirname, '..', '..', '..');
  const cacheDir = env['LONGHAUL_CACHE_DIR'] || join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'longhaul');
  const dataDir = resolve(root, env['LONGHAUL_DATA_DIR'] || join('.longhaul', profile));
  return { root, cacheDir, dataDir, logDir: join(dataDir, 'logs') };
}
