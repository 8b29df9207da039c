import { mkdirSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { kafkaSpec, mongoSpec } from './infrastructure';
import { installFerretDb, installKafka, installKafkaTools } from './install';
import { installPostgres, postgresRuntime, postgresSpec } from './postgres';
import { installDebianPackages } from './debian';
import { findJava } from './java';
import { installPrometheus, prometheusConfig, prometheusSpec, type ScrapeTarget } from './prometheus';
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

/** Processes started in order and stopped in reverse, under a supervisor of their own. */
function component(dataDir: string, endpoint: string, specs: () => ProcessSpec[]): Component {
  const supervisor = new Supervisor(
    join(dataDir, 'logs'),
    createOutput({ console: false, width: 8, color: false }),
    () => {},
  );
  let names: string[] = [];
  return {
    endpoint,
    async start() {
      const list = specs();
      names = list.map((spec) => spec.name);
      for (const spec of list) await supervisor.start(spec);
    },
    stop: () => supervisor.stop([...names].reverse()),
  };
}

/** A single-node Kafka of its own under `dataDir`, started and ready. */
export async function startKafkaComponent(dataDir: string, cacheDir: string): Promise<Component> {
  mkdirSync(dataDir, { recursive: true });
  const java = findJava(VERSIONS.minJava, process.env);
  const kafkaLibs = await installKafka(cacheDir, () => {});
  const ports = { kafka: await freePort(), kafkaController: await freePort() } as StackPorts;
  const installed = { kafkaLibs };
  const c = component(dataDir, `127.0.0.1:${ports.kafka}`, () => [
    kafkaSpec({ installed, java: java.bin, javaMajor: java.major, dataDir, ports }),
  ]);
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
  const c = component(dataDir, `mongodb://127.0.0.1:${ports.mongo}`, () => [
    postgresSpec({ runtime, dataDir, port: ports.postgres }),
    mongoSpec({ installed: { ferretdb }, dataDir, ports }),
  ]);
  await c.start();
  return c;
}

/** A Prometheus of its own under `dataDir`, scraping `targets` and evaluating `ruleFiles`. */
export async function startPrometheusComponent(
  dataDir: string,
  cacheDir: string,
  opts: { targets: readonly ScrapeTarget[]; ruleFiles: readonly string[]; intervalSeconds?: number },
): Promise<Component & { readonly promtool: string }> {
  mkdirSync(dataDir, { recursive: true });
  const binaries = await installPrometheus(cacheDir, () => {});
  const port = await freePort();
  const config = prometheusConfig({ ...opts, intervalSeconds: opts.intervalSeconds ?? 1 });
  const c = component(dataDir, `http://127.0.0.1:${port}`, () => [prometheusSpec({ binaries, dataDir, port, config })]);
  await c.start();
  return { ...c, promtool: binaries.promtool };
}

/** promtool from the installed Prometheus package (rule checks and rule unit tests). */
export async function promtoolPath(cacheDir: string): Promise<string> {
  return (await installPrometheus(cacheDir, () => {})).promtool;
}

/**
 * A Redis server of its own (Debian's redis-server, for the BullMQ peer benchmark), with the
 * append-only file fsynced every second as BullMQ's documentation advises for durability.
 */
export async function startRedisComponent(dataDir: string, cacheDir: string): Promise<Component> {
  mkdirSync(dataDir, { recursive: true });
  const root = await installDebianPackages(cacheDir, () => {}, {
    name: 'redis',
    packages: ['redis-server', 'redis-tools', 'libjemalloc2', 'liblzf1'],
  });
  const port = await freePort();
  const c = component(dataDir, `redis://127.0.0.1:${port}`, () => [
    {
      name: 'redis',
      command: join(root, 'usr', 'bin', 'redis-server'),
      args: [
        '--bind',
        '127.0.0.1',
        '--port',
        String(port),
        '--dir',
        dataDir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        // BullMQ requires it: keys must never be evicted.
        '--maxmemory-policy',
        'noeviction',
      ],
      env: { ...process.env, LD_LIBRARY_PATH: join(root, 'usr', 'lib', 'x86_64-linux-gnu') },
      ready: tcpProbe(port),
      readyTimeoutMs: 20_000,
      restart: false,
      stopTimeoutMs: 10_000,
    },
  ]);
  await c.start();
  return c;
}

function tcpProbe(port: number): () => Promise<boolean> {
  return () =>
    new Promise((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' }, () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
}

/** How to run one of Kafka's own tools (a class of kafka-tools) with the stack's Java. */
export async function kafkaToolCommand(
  cacheDir: string,
  toolClass: string,
): Promise<{ command: string; args: string[] }> {
  const java = findJava(VERSIONS.minJava, process.env);
  const libs = await installKafkaTools(cacheDir, () => {});
  return { command: java.bin, args: ['-Xmx512m', '-XX:+UseSerialGC', '-cp', `${libs}/*`, toolClass] };
}
