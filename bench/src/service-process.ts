import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface BenchService {
  child: ChildProcess;
  opsUrl: string;
  stop(): Promise<void>;
}

/** Services a benchmark started and has not stopped: killed if the benchmark itself ends. */
const running = new Set<ChildProcess>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of running) child.kill('SIGKILL');
    process.exit(130);
  });
}
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Run a built service of its own (services/<name>/dist/main.js) with the given environment, and
 * wait until its /readyz answers 200. `LONGHAUL_CPU_PROFILE_DIR` profiles it.
 */
export async function startBenchService(name: string, env: NodeJS.ProcessEnv): Promise<BenchService> {
  const port = await freePort();
  const profileDir = process.env['LONGHAUL_CPU_PROFILE_DIR'];
  const main = join(__dirname, '..', '..', 'services', name, 'dist', 'main.js');
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=TimeoutNegativeWarning',
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      main,
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        PATH: process.env['PATH'],
        LONGHAUL_BIND_HOST: '127.0.0.1',
        LONGHAUL_OPS_PORT: String(port),
        LONGHAUL_LOG_LEVEL: 'warn',
        LONGHAUL_INSTANCE_ID: `bench-${name}-${port}`,
        ...env,
      },
    },
  );
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.on('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  const opsUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the ${name} exited before it was ready`);
    const res = await fetch(`${opsUrl}/readyz`, { signal: AbortSignal.timeout(1_000) }).catch(() => undefined);
    if (res?.status === 200) break;
    if (Date.now() > deadline) throw new Error(`the ${name} was not ready within 90 s`);
    await delay(100);
  }
  return {
    child,
    opsUrl,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * What a service of a benchmark's own needs to reach the bench stack on its own topic prefix
 * and database, with `partitions` for the request and lifecycle (and so state) topics.
 */
export function isolatedServiceEnv(opts: {
  kafkaBrokers: readonly string[];
  schemaRegistryUrl: string;
  mongoUrl: string;
  database: string;
  prefix: string;
  partitions: number;
}): NodeJS.ProcessEnv {
  return {
    LONGHAUL_KAFKA_BROKERS: opts.kafkaBrokers.join(','),
    LONGHAUL_SCHEMA_REGISTRY_URL: opts.schemaRegistryUrl,
    LONGHAUL_MONGO_URL: opts.mongoUrl,
    LONGHAUL_MONGO_DATABASE: opts.database,
    LONGHAUL_TOPIC_PREFIX: opts.prefix,
    LONGHAUL_REQUESTED_PARTITIONS: String(opts.partitions),
    LONGHAUL_EVENTS_PARTITIONS: String(opts.partitions),
  };
}

/** Which database server answers (FerretDB says so in `buildInfo`), for the results. */
export async function databaseServer(db: { admin(): { command(c: object): Promise<Record<string, unknown>> } }) {
  const info = await db.admin().command({ buildInfo: 1 });
  return typeof info['ferretdbVersion'] === 'string'
    ? `FerretDB ${info['ferretdbVersion']} (PostgreSQL backend)`
    : `MongoDB ${String(info['version'])}`;
}
