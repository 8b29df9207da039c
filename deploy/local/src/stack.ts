import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endpointsFor, kafkaSpec, mongoSpec, registrySpec, type Endpoints } from './infrastructure';
import { postgresRuntime, postgresSpec } from './postgres';
import { installAll, type Installed } from './install';
import { findJava } from './java';
import type { Layout } from './layout';
import { killLeftovers, writePids } from './leftovers';
import { PORT_VARIABLES, takenPorts, type StackPorts } from './ports';
import { serviceSpecs, type ServiceSettings } from './services';
import { Supervisor, type Output } from './supervisor';
import { VERSIONS } from './versions';

export interface Stack {
  readonly supervisor: Supervisor;
  readonly endpoints: Endpoints;
  readonly installed: Installed;
}

/** Fails with one line per taken port, naming the variable that moves it. */
export async function checkPorts(ports: StackPorts, include: (keyof StackPorts)[]): Promise<void> {
  const wanted = include.map((k) => ({ name: k, port: ports[k], variable: PORT_VARIABLES[k] }));
  const taken = await takenPorts(wanted);
  if (taken.length > 0) throw new Error(taken.join('\n'));
}

/** Install what is missing, then start Kafka, FerretDB and the registry, each really ready. */
export async function startInfrastructure(layout: Layout, ports: StackPorts, out: Output): Promise<Stack> {
  mkdirSync(layout.dataDir, { recursive: true });
  const pidFile = join(layout.dataDir, 'pids.json');
  // PostgreSQL may run from the temp folder (see postgres.ts), hence the last marker.
  const markers = [layout.root, layout.cacheDir, layout.dataDir, join(tmpdir(), 'longhaul-')];
  const leftovers = killLeftovers(pidFile, markers);
  if (leftovers > 0) out.say(`ended ${leftovers} process(es) left by an earlier run`);
  await checkPorts(ports, ['kafka', 'kafkaController', 'registry', 'registryManagement', 'mongo', 'postgres']);

  const java = findJava(VERSIONS.minJava, process.env);
  const installed = await installAll(layout.cacheDir, (m) => out.say(m));
  const supervisor = new Supervisor(layout.logDir, out, (pids) => writePids(pidFile, pids));
  const base = { installed, java: java.bin, javaMajor: java.major, dataDir: layout.dataDir, ports };
  try {
    await Promise.all([
      supervisor.start(kafkaSpec(base)),
      (async () => {
        const runtime = postgresRuntime(installed.postgres, join(layout.root, '.longhaul'));
        await supervisor.start(postgresSpec({ runtime, dataDir: layout.dataDir, port: ports.postgres }));
        await supervisor.start(mongoSpec(base));
      })(),
      supervisor.start(registrySpec(base)),
    ]);
  } catch (err) {
    await supervisor.stop();
    throw err;
  }
  return { supervisor, endpoints: endpointsFor(ports), installed };
}

export async function startServices(stack: Stack, settings: Omit<ServiceSettings, 'endpoints'>): Promise<void> {
  const specs = serviceSpecs({ ...settings, endpoints: stack.endpoints });
  // The ingress creates the topics; the consumers then join their groups in parallel.
  const [first, ...rest] = specs;
  if (first) await stack.supervisor.start(first);
  await Promise.all(rest.map((spec) => stack.supervisor.start(spec)));
}
