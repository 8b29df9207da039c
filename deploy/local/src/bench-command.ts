import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { devCredentials } from './dev-credentials';
import { layoutFor } from './layout';
import { portsFor, processorOpsPort } from './ports';
import { onceStopSignal } from './signals';
import { startInfrastructure, startServices, type Stack } from './stack';
import { createOutput } from './supervisor';

/** Benchmarks that start and stop their own processors, to control how many run. */
const RUN_OWN_PROCESSORS = new Set(['processor']);

/**
 * `npm run bench:<name>`: the whole stack on the bench ports with a fresh data folder, then
 * `bench/dist/<name>.js` against it, then a clean stop. Benchmarks print their figures and
 * write them as JSON under bench/results/.
 */
export async function runBench(names: readonly string[], defaults: NodeJS.ProcessEnv = {}): Promise<number> {
  if (names.length === 0) return runSuite();
  // `defaults` are settings the suite chooses; the caller's own environment still wins.
  const env = { ...defaults, ...process.env };
  const layout = layoutFor('bench', env);
  const ports = portsFor('bench', env);
  const out = createOutput({ console: false, width: 8, color: Boolean(process.stdout.isTTY) });
  const stop = onceStopSignal((m) => out.say(m));
  const scripts = names.map((n) => ({ name: n, file: join(layout.root, 'bench', 'dist', `${n}.js`) }));
  const missing = scripts.filter((s) => !/^[a-z0-9-]+$/.test(s.name) || !existsSync(s.file));
  if (scripts.length === 0 || missing.length > 0) {
    out.say(`unknown benchmark ${missing.map((m) => m.name).join(', ') || '(none given)'}`);
    return 2;
  }

  rmSync(layout.dataDir, { recursive: true, force: true });
  const credentials = devCredentials(layout.dataDir, {});
  // The stack starts none for a benchmark that runs its own (unless LONGHAUL_PROCESSORS says).
  const ownProcessors = names.some((n) => RUN_OWN_PROCESSORS.has(n));
  const processors = Number(env['LONGHAUL_PROCESSORS'] ?? (ownProcessors ? '0' : '1'));
  let stack: Stack | undefined;
  let code = 0;
  try {
    out.say(`── starting the stack (data in ${layout.dataDir})`);
    stack = await startInfrastructure(layout, ports, out);
    await startServices(stack, {
      root: layout.root,
      node: process.execPath,
      ports,
      processors,
      env: {
        ...credentials.env,
        LONGHAUL_LOG_LEVEL: 'warn',
        LONGHAUL_RATE_LIMIT_PER_SECOND: '1000000',
        LONGHAUL_RATE_LIMIT_BURST: '1000000',
      },
    });
    for (const script of scripts) {
      if (stop.received()) break;
      out.say(`── bench ${script.name}`);
      const exit = await new Promise<number>((resolve) => {
        const child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', script.file], {
          cwd: layout.root,
          stdio: 'inherit',
          env: {
            ...env,
            LONGHAUL_BENCH_API_URL: `http://127.0.0.1:${ports.http}`,
            LONGHAUL_BENCH_API_KEY: credentials.devKey?.key ?? '',
            LONGHAUL_BENCH_KAFKA_BROKERS: stack!.endpoints.kafkaBrokers,
            LONGHAUL_BENCH_SCHEMA_REGISTRY_URL: stack!.endpoints.schemaRegistryUrl,
            LONGHAUL_BENCH_MONGO_URL: stack!.endpoints.mongoUrl,
            LONGHAUL_BENCH_RESULTS_DIR: join(layout.root, 'bench', 'results'),
            LONGHAUL_BENCH_LOG_DIR: layout.logDir,
            LONGHAUL_BENCH_DATA_DIR: layout.dataDir,
            LONGHAUL_BENCH_CACHE_DIR: layout.cacheDir,
            // For benchmarks that run their own processors: how many the stack runs, and the
            // first ops port after theirs.
            LONGHAUL_BENCH_STACK_PROCESSORS: String(processors),
            LONGHAUL_BENCH_PROCESSOR_OPS_PORT: String(processorOpsPort(ports, processors)),
          },
        });
        void stop.signalled.then((sig) => child.kill(sig));
        child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0)));
      });
      if (exit !== 0) code = exit;
    }
  } catch (err) {
    out.say(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
    code = 1;
  } finally {
    if (stack) await stack.supervisor.stop();
  }
  return code;
}

/** `npm run bench`: every benchmark, each on a fresh stack, in this order; then the report. */
export const SUITE = ['ceiling', 'ingress', 'processor', 'projector', 'notifier', 'e2e', 'bullmq'] as const;

/**
 * What the suite sets beyond each benchmark's own defaults: the processor's makespans three
 * times (alone, `bench:processor` runs them once to stay short), so the report quotes medians.
 */
const SUITE_DEFAULTS: Partial<Record<(typeof SUITE)[number], NodeJS.ProcessEnv>> = {
  processor: { LONGHAUL_BENCH_REPEATS: '3' },
};

async function runSuite(): Promise<number> {
  const since = new Date().toISOString();
  const failed: string[] = [];
  for (const name of SUITE) {
    if ((await runBench([name], SUITE_DEFAULTS[name])) !== 0) failed.push(name);
  }
  const layout = layoutFor('bench', process.env);
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [join(layout.root, 'bench', 'dist', 'report.js')], {
      cwd: layout.root,
      stdio: 'inherit',
      env: {
        ...process.env,
        LONGHAUL_BENCH_SINCE: since,
        LONGHAUL_BENCH_RESULTS_DIR: join(layout.root, 'bench', 'results'),
      },
    });
    child.on('exit', (c) => resolve(c ?? 1));
  });
  if (failed.length > 0) process.stdout.write(`longhaul | benchmarks that failed: ${failed.join(', ')}\n`);
  return failed.length > 0 ? 1 : code;
}
