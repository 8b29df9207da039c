import { devCredentials } from './dev-credentials';
import { layoutFor } from './layout';
import { join } from 'node:path';
import { portsFor } from './ports';
import { prometheusConfig, prometheusSpec } from './prometheus';
import { serviceTargets } from './services';
import { onceStopSignal } from './signals';
import { checkPorts, startInfrastructure, startServices, type Stack } from './stack';
import { createOutput } from './supervisor';

function processorCount(env: NodeJS.ProcessEnv): number {
  const raw = env['LONGHAUL_PROCESSORS'] ?? '2';
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 1 && n <= 16)) throw new Error(`LONGHAUL_PROCESSORS must be a whole number from 1 to 16, got "${raw}"`);
  return n;
}

/**
 * `npm start`: install what is missing, start the infrastructure and the services, print
 * where everything is, stream the logs, and stop everything cleanly on Ctrl-C or SIGTERM.
 */
export async function runStart(): Promise<number> {
  const env = process.env;
  const layout = layoutFor('dev', env);
  const ports = portsFor('dev', env);
  const processors = processorCount(env);
  const credentials = devCredentials(layout.dataDir, env);
  const out = createOutput({ console: true, width: 11, color: Boolean(process.stdout.isTTY) });
  const stop = onceStopSignal((m) => out.say(m));

  await checkPorts(ports, [
    'http',
    'kafka',
    'kafkaController',
    'registry',
    'registryManagement',
    'mongo',
    'prometheus',
  ]);
  const targets = serviceTargets(ports, processors);
  const started = Date.now();
  let stack: Stack | undefined;
  try {
    const starting = (async () => {
      stack = await startInfrastructure(layout, ports, out);
      if (stop.received()) return;
      await startServices(stack, {
        root: layout.root,
        node: process.execPath,
        ports,
        processors,
        env: credentials.env,
      });
      if (stop.received()) return;
      await stack.supervisor.start(
        prometheusSpec({
          binaries: stack.installed.prometheus,
          dataDir: layout.dataDir,
          port: ports.prometheus,
          config: prometheusConfig({
            targets,
            ruleFiles: [join(layout.root, 'deploy', 'prometheus', 'longhaul-rules.yml')],
            intervalSeconds: 5,
          }),
        }),
      );
    })();
    const first = await Promise.race([starting.then(() => 'started' as const), stop.signalled]);
    if (first !== 'started') {
      out.say(`${first} received while starting; stopping`);
      await starting.catch(() => undefined);
      return await shutdown(stack, out, 0);
    }
  } catch (err) {
    out.say(`start failed: ${err instanceof Error ? err.message : String(err)}`);
    return await shutdown(stack, out, 1);
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const metrics = targets.map((t) => `${t.name.padEnd(12)} http://${t.address}/metrics`);
  for (const line of [
    `ready in ${seconds} s`,
    `API            http://127.0.0.1:${ports.http}`,
    ...(credentials.devKey
      ? [
          `API key        ${credentials.devKey.key} (tenant ${credentials.devKey.tenant}; saved in ${credentials.devKey.file})`,
        ]
      : ['API keys       from LONGHAUL_API_KEYS']),
    `Kafka          127.0.0.1:${ports.kafka}`,
    `Schema Registry http://127.0.0.1:${ports.registry}/apis/ccompat/v7`,
    `MongoDB (FerretDB) mongodb://127.0.0.1:${ports.mongo}`,
    `Prometheus     http://127.0.0.1:${ports.prometheus} (scrapes every service, evaluates the alert rules)`,
    'metrics:',
    ...metrics.map((m) => `  ${m}`),
    `data folder    ${layout.dataDir} (logs in ${layout.logDir})`,
    'press Ctrl-C to stop everything',
  ]) {
    out.say(line);
  }

  const signal = await stop.signalled;
  out.say(`${signal} received; stopping`);
  return shutdown(stack, out, 0);
}

async function shutdown(stack: Stack | undefined, out: ReturnType<typeof createOutput>, code: number): Promise<number> {
  if (stack) await stack.supervisor.stop();
  out.say('stopped');
  return code;
}
