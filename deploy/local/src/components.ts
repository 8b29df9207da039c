import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { kafkaSpec, mongoSpec } from './infrastructure';
import { installFerretDb, installKafka } from './install';
import { installPostgres, postgresRuntime, postgresSpec } from './postgres';
import { findJava } from './java';
import type { StackPorts } from './ports';
import { createOutput, Supervisor, type ProcessSpec } from './supervisor';
import { VERSIONS } from './versions';

/**
 * One piece of infrastructure of its own, for tests that must stop and restart it (outages,
 * chaos) without touching the shared test stack. Same installation, same settings.
 */
export interface Component {
  /** Kafka: host:port; MongoDB: a mongodb:// URL. */
  readonly endpoint: string;
  /** Stop it (SIGTERM, then SIGKILL after its timeout); its data stays. */
  stop(): Promise<void>;
  /** Start it again on the same ports and data. */
  start(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function component(dataDir: string, endpoint: string, spec: () => ProcessSpec): Component {
  const supervisor = new Supervisor(
    join(dataDir, 'logs'),
    createOutput({ console: false, width: 8, color: false }),
    () => {},
  );
  const name = spec().name;
  return {
    endpoint,
    start: () => supervisor.start(spec()),
    stop: () => supervisor.stop([name]),
  };
}

/** A single-node Kafka of its own under `dataDir`, started and ready. */
export async function startKafkaComponent(dataDir: string, cacheDir: string): Promise<Component> {
  mkdirSync(dataDir, { recursive: true });
  const java = findJava(VERSIONS.minJava, process.env);
  const kafkaLibs = await installKafka(cacheDir, () => {});
  const ports = { kafka: await freePort(), kafkaController: await freePort() } as StackPorts;
  const installed = { kafkaLibs, registryJar: '', ferretdb: '', postgres: '' };
  const c = component(dataDir, `127.0.0.1:${ports.kafka}`, () =>
    kafkaSpec({ installed, java: java.bin, javaMajor: java.major, dataDir, ports }),
  );
  await c.start();
  return c;
}

/** A FerretDB (on a PostgreSQL) of its own under `dataDir`, started and ready. */
export async function startMongoComponent(
  dataDir: string,
  cacheDir: string,
  runtimeParent: string,
): Promise<Component> {
  mkdirSync(dataDir, { recursive: true });
  const ferretdb = await installFerretDb(cacheDir, () => {});
  const runtime = postgresRuntime(await installPostgres(cacheDir, () => {}), runtimeParent);
  const ports = { mongo: await freePort(), postgres: await freePort() } as StackPorts;
  const supervisor = new Supervisor(
    join(dataDir, 'logs'),
    createOutput({ console: false, width: 8, color: false }),
    () => {},
  );
  const c: Component = {
    endpoint: `mongodb://127.0.0.1:${ports.mongo}`,
    async start() {
      await supervisor.start(postgresSpec({ runtime, dataDir, port: ports.postgres }));
      await supervisor.start(mongoSpec({ installed: { ferretdb }, dataDir, ports }));
    },
    stop: () => supervisor.stop(['ferretdb', 'postgres']),
  };
  await c.start();
  return c;
}
