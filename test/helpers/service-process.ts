import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { freePort } from './ports';
import { testStack } from './stack';
import { waitFor } from './wait';
import { adminKey, tenants } from './tenants';

export const repoRoot = resolve(__dirname, '..', '..');

export interface ServiceProcess {
  readonly child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (or 128+n for a signal) and how long after the call it came. */
  exited: Promise<{ code: number; at: number }>;
  /** SIGTERM, then how long it took to exit and with what code. */
  terminate(): Promise<{ code: number; ms: number }>;
  /** Not exited yet. (A process killed by a signal keeps `exitCode === null`: use this.) */
  alive(): boolean;
}

/** Run a built service (services/<name>/dist/main.js, or another entry of it) as its own process with Node 24. */
export function startService(
  name: string,
  env: NodeJS.ProcessEnv,
  entry = 'main.js',
  args: string[] = [],
): ServiceProcess {
  const stack = testStack();
  const child = spawn(
    stack.node,
    ['--disable-warning=TimeoutNegativeWarning', join(repoRoot, 'services', name, 'dist', entry), ...args],
    { env: { PATH: process.env['PATH'], ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<{ code: number; at: number }>((res) => {
    child.on('exit', (code, signal) => res({ code: code ?? (signal ? 128 : -1), at: Date.now() }));
  });
  return {
    child,
    output: () => out,
    exited,
    alive: () => child.exitCode === null && child.signalCode === null,
    async terminate() {
      const sent = Date.now();
      child.kill('SIGTERM');
      const { code, at } = await exited;
      return { code, ms: at - sent };
    },
  };
}

/** The key that seals webhook secrets at rest in every service the tests start (32 bytes, base64). */
export const TEST_SECRETS_KEY = 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';

/** The environment a service needs to reach the test stack, on its own topics and database. */
export function serviceEnv(opts: { prefix: string; database: string; port: number; extra?: NodeJS.ProcessEnv }) {
  const stack = testStack();
  return {
    LONGHAUL_KAFKA_BROKERS: stack.kafkaBrokers.join(','),
    LONGHAUL_SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
    LONGHAUL_MONGO_URL: stack.mongoUrl,
    LONGHAUL_MONGO_DATABASE: opts.database,
    LONGHAUL_TOPIC_PREFIX: opts.prefix,
    LONGHAUL_REQUESTED_PARTITIONS: '2',
    LONGHAUL_EVENTS_PARTITIONS: '2',
    LONGHAUL_BIND_HOST: '127.0.0.1',
    LONGHAUL_HTTP_PORT: String(opts.port),
    LONGHAUL_OPS_PORT: String(opts.port),
    LONGHAUL_SHUTDOWN_TIMEOUT_MS: '10000',
    LONGHAUL_API_KEYS: Object.values(tenants)
      .map((t) => `${t.tenant}:${t.key}`)
      .join(','),
    LONGHAUL_ADMIN_KEYS: adminKey,
    LONGHAUL_SECRETS_KEY: TEST_SECRETS_KEY,
    ...opts.extra,
  };
}

export interface WorkerUnderTest extends ServiceProcess {
  readonly opsUrl: string;
  readonly name: string;
  /** kill -9: no shutdown, no hand-back, no commit. */
  kill(): Promise<void>;
}

/** Start a consumer service (processor, projector, notifier) and wait until its /readyz answers 200. */
export async function startWorker(
  service: string,
  opts: { prefix: string; database: string; name: string; extra: NodeJS.ProcessEnv },
): Promise<WorkerUnderTest> {
  const port = await freePort();
  const proc = startService(
    service,
    serviceEnv({
      prefix: opts.prefix,
      database: opts.database,
      port,
      extra: { LONGHAUL_INSTANCE_ID: opts.name, ...opts.extra },
    }),
  );
  const opsUrl = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      `${service} ${opts.name} ready`,
      async () => {
        if (!proc.alive()) throw new Error(`${service} exited:\n${proc.output()}`);
        const res = await fetch(`${opsUrl}/readyz`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
        return res?.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  } catch (err) {
    const ready = await fetch(`${opsUrl}/readyz`, { signal: AbortSignal.timeout(2_000) })
      .then((r) => r.text())
      .catch(() => 'no answer');
    // Never leave a process behind for the next suite.
    if (proc.alive()) proc.child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n/readyz: ${ready}\nlast output:\n${proc.output().slice(-6_000)}`, {
      cause: err,
    });
  }
  return {
    ...proc,
    opsUrl,
    name: opts.name,
    async kill() {
      proc.child.kill('SIGKILL');
      await proc.exited;
    },
  };
}
