import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { signalGroup } from './supervisor';

/**
 * The pid file of a run. If a previous run was killed without cleaning up (SIGKILL, a lost
 * terminal), its process groups are ended before this run takes the same ports and data.
 * A pid is only signalled when its command line still points into this checkout or the
 * cache, so a recycled pid of an unrelated process is left alone.
 */
export function killLeftovers(pidFile: string, markers: readonly string[]): number {
  if (!existsSync(pidFile)) return 0;
  let killed = 0;
  try {
    const pids = JSON.parse(readFileSync(pidFile, 'utf8')) as unknown;
    if (!Array.isArray(pids)) return 0;
    for (const pid of pids) {
      if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 1) continue;
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (markers.some((m) => cmdline.includes(m))) {
        signalGroup(pid, 'SIGKILL');
        killed++;
      }
    }
  } finally {
    writeFileSync(pidFile, '[]');
  }
  return killed;
}

export function writePids(pidFile: string, pids: readonly number[]): void {
  writeFileSync(pidFile, JSON.stringify(pids));
}
