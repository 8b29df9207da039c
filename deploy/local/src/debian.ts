import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runLogged } from './exec';
import { once } from './install';

/**
 * Programs from Debian's archive without installing them system-wide: `apt-get download`
 * fetches the .deb files (running `apt-get update` first on a machine with no package lists),
 * `dpkg -x` unpacks them into the cache. The archive serves one version per release, so
 * packages are not pinned to an exact revision. Returns the unpacked root (binaries are under
 * usr/bin, shared libraries under usr/lib/x86_64-linux-gnu).
 */
export async function installDebianPackages(
  cacheDir: string,
  say: (m: string) => void,
  opts: { name: string; packages: readonly string[] },
): Promise<string> {
  const target = join(cacheDir, `debian-${opts.name}`);
  await once(target, say, `${opts.packages.join(', ')} (Debian's packages)`, async (tmp) => {
    const logFile = join(cacheDir, 'logs', `install-${opts.name}.log`);
    const debs = join(tmp, 'debs');
    await runLogged('mkdir', ['-p', debs], { logFile });
    const download = () => runLogged('apt-get', ['download', ...opts.packages], { cwd: debs, logFile });
    await download().catch(async () => {
      await runLogged('apt-get', ['update'], { cwd: debs, logFile });
      await download();
    });
    for (const deb of readdirSync(debs).filter((f) => f.endsWith('.deb'))) {
      await runLogged('dpkg', ['-x', join(debs, deb), tmp], { logFile });
    }
    await runLogged('rm', ['-rf', debs], { logFile });
  });
  return target;
}
