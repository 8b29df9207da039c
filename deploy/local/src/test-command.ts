import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { installK8sTools } from './k8s-tools';
import { layoutFor, type Layout } from './layout';
import { portsFor } from './ports';
import { onceStopSignal } from './signals';
import { startInfrastructure, type Stack } from './stack';
import { createOutput } from './supervisor';

interface Step {
  readonly name: string;
  readonly code: number;
  readonly seconds: number;
}

/**
 * `npm test`: lint and format check, unit tests, then the real infrastructure on the test
 * ports with a wiped data folder, the integration suites against it, and a clean stop even
 * when something failed. (Type-checking ran in the bootstrap's `tsc -b`.)
 */
export async function runTest(filters: readonly string[] = [], extraEnv: NodeJS.ProcessEnv = {}): Promise<number> {
  const env = { ...process.env, ...extraEnv };
  // `npm test -- <file filters>`: a developer's quick loop runs only the matching integration
  // files (no lint, no unit tests). CI always runs plain `npm test`.
  const focused = filters.length > 0;
  const layout = layoutFor('test', env);
  const ports = portsFor('test', env);
  const out = createOutput({ console: false, width: 8, color: Boolean(process.stdout.isTTY) });
  const stop = onceStopSignal((m) => out.say(m));
  let current: ChildProcess | undefined;
  void stop.signalled.then((sig) => current?.kill(sig));

  const steps: Step[] = [];
  const step = async (name: string, cmd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    if (stop.received()) return;
    out.say(`── ${name}`);
    const started = Date.now();
    const code = await new Promise<number>((resolve) => {
      current = spawn(cmd, args, { cwd: layout.root, env: { ...env, ...extraEnv }, stdio: 'inherit' });
      current.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0)));
      current.on('error', () => resolve(127));
    });
    steps.push({ name, code, seconds: (Date.now() - started) / 1000 });
  };
  const bin = (pkg: string, file: string) => join(layout.root, 'node_modules', pkg, file);
  const node = process.execPath;

  // The Kubernetes tools (helm, kustomize, kubeconform from Go modules; schemas) take minutes to
  // build on a new machine: start now, beside lint and the unit tests; the integration tests
  // that use them wait for it (the install is done once, into the cache).
  const k8sTools = installK8sTools(layout.cacheDir, (m) => out.say(m)).then(
    () => undefined,
    (err: unknown) =>
      out.say(`installing the Kubernetes tools failed: ${err instanceof Error ? err.message : String(err)}`),
  );

  // kafkajs 2.2.4 arms timers with negative delays; Node 24 warns about each (harmless).
  const quiet = { NODE_OPTIONS: `${env['NODE_OPTIONS'] ?? ''} --disable-warning=TimeoutNegativeWarning`.trim() };
  if (!focused) {
    await step('lint (eslint)', node, [bin('eslint', 'bin/eslint.js'), '--max-warnings=0', '.']);
    await step('format (prettier --check)', node, [
      bin('prettier', 'bin/prettier.cjs'),
      '--check',
      '--log-level=warn',
      '.',
    ]);
    await step('unit tests', node, [bin('vitest', 'vitest.mjs'), 'run', '--project', 'unit'], quiet);
  }

  let stack: Stack | undefined;
  if (!stop.received()) {
    out.say(`── starting the test stack (data in ${layout.dataDir}, logs in ${layout.logDir})`);
    const started = Date.now();
    try {
      rmSync(layout.dataDir, { recursive: true, force: true });
      stack = await startInfrastructure(layout, ports, out);
      steps.push({ name: 'start test stack', code: 0, seconds: (Date.now() - started) / 1000 });
    } catch (err) {
      out.say(`the test stack did not start: ${err instanceof Error ? err.message : String(err)}`);
      steps.push({ name: 'start test stack', code: 1, seconds: (Date.now() - started) / 1000 });
    }
  }
  try {
    if (stack) {
      await k8sTools;
      await step(
        'integration tests',
        node,
        [bin('vitest', 'vitest.mjs'), 'run', '--project', 'integration', ...filters],
        {
          ...quiet,
          ...testEnv(stack, layout),
        },
      );
    }
  } finally {
    if (stack) await stack.supervisor.stop();
  }
  return report(steps, out, stop.received());
}

/** What the integration tests need to reach the stack this command started. */
function testEnv(stack: Stack, layout: Layout): NodeJS.ProcessEnv {
  return {
    LONGHAUL_TEST_KAFKA_BROKERS: stack.endpoints.kafkaBrokers,
    LONGHAUL_TEST_SCHEMA_REGISTRY_URL: stack.endpoints.schemaRegistryUrl,
    LONGHAUL_TEST_MONGO_URL: stack.endpoints.mongoUrl,
    LONGHAUL_TEST_DATA_DIR: layout.dataDir,
    LONGHAUL_TEST_CACHE_DIR: layout.cacheDir,
    LONGHAUL_TEST_NODE: process.execPath,
  };
}

function report(steps: readonly Step[], out: ReturnType<typeof createOutput>, interrupted: boolean): number {
  out.say('── summary');
  for (const s of steps) out.say(`${s.code === 0 ? 'ok  ' : 'FAIL'} ${s.name} (${s.seconds.toFixed(1)} s)`);
  const failed = steps.filter((s) => s.code !== 0).length;
  if (interrupted) {
    out.say('interrupted');
    return 130;
  }
  return failed === 0 ? 0 : 1;
}
