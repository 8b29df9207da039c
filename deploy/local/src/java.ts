import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function javaMajor(home: string): number | undefined {
  try {
    const release = readFileSync(join(home, 'release'), 'utf8');
    const m = /JAVA_VERSION="(\d+)(?:\.(\d+))?/.exec(release);
    if (!m) return undefined;
    const major = Number(m[1]);
    return major === 1 ? Number(m[2]) : major;
  } catch {
    return undefined;
  }
}

/**
 * A Java home of at least `min`: LONGHAUL_JAVA_HOME, then JAVA_HOME, then the newest JDK
 * under /usr/lib/jvm. Apicurio Registry 3 needs 21+; these machines carry a Temurin 25 JDK.
 */
export function findJava(min: number, env: NodeJS.ProcessEnv): { home: string; bin: string; major: number } {
  const candidates: string[] = [];
  for (const v of ['LONGHAUL_JAVA_HOME', 'JAVA_HOME']) {
    const home = env[v];
    if (home) candidates.push(home);
  }
  const jvmDir = '/usr/lib/jvm';
  if (existsSync(jvmDir)) {
    const homes = readdirSync(jvmDir)
      .map((d) => join(jvmDir, d))
      .filter((h) => existsSync(join(h, 'bin', 'java')))
      .sort((a, b) => (javaMajor(b) ?? 0) - (javaMajor(a) ?? 0));
    candidates.push(...homes);
  }
  for (const home of candidates) {
    const major = javaMajor(home);
    if (major !== undefined && major >= min && existsSync(join(home, 'bin', 'java'))) {
      return { home, bin: join(home, 'bin', 'java'), major };
    }
  }
  throw new Error(
    `no Java ${min}+ found (looked at LONGHAUL_JAVA_HOME, JAVA_HOME and /usr/lib/jvm); install a JDK ${min} or newer and set LONGHAUL_JAVA_HOME`,
  );
}
