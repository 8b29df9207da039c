import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Installed } from './install';
import type { StackPorts } from './ports';
import { httpProbe, kafkaProbe, mongoProbe } from './probes';
import type { ProcessSpec } from './supervisor';

export interface Endpoints {
  readonly kafkaBrokers: string;
  readonly schemaRegistryUrl: string;
  readonly mongoUrl: string;
}

export function endpointsFor(ports: StackPorts): Endpoints {
  return {
    kafkaBrokers: `127.0.0.1:${ports.kafka}`,
    schemaRegistryUrl: `http://127.0.0.1:${ports.registry}/apis/ccompat/v7`,
    mongoUrl: `mongodb://127.0.0.1:${ports.mongo}`,
  };
}

/** Gentle JVM settings for a 2-core machine: small heap, serial GC, C1 only. */
const JVM_FLAGS = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-XX:ActiveProcessorCount=1', '-Xss512k'];

/** Kafka 4.x still calls sun.misc.Unsafe, which Java 24+ warns about at every start. */
const jvmFlagsFor = (javaMajor: number) =>
  javaMajor >= 24 ? [...JVM_FLAGS, '--sun-misc-unsafe-memory-access=allow'] : JVM_FLAGS;

const LOG4J2 = `<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <Console name="out" target="SYSTEM_OUT"><PatternLayout pattern="%d{HH:mm:ss.SSS} %-5p [%c{1}] %m%n"/></Console>
  </Appenders>
  <Loggers>
    <Root level="WARN"><AppenderRef ref="out"/></Root>
    <Logger name="kafka.server.BrokerServer" level="INFO"/>
    <Logger name="org.apache.kafka.coordinator.group" level="WARN"/>
  </Loggers>
</Configuration>
`;

function kafkaProperties(ports: StackPorts, logDir: string): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${ports.kafkaController}`,
    `listeners=PLAINTEXT://127.0.0.1:${ports.kafka},CONTROLLER://127.0.0.1:${ports.kafkaController}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${ports.kafka}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${logDir}`,
    'num.partitions=1',
    'default.replication.factor=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=12',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'min.insync.replicas=1',
    'unclean.leader.election.enable=false',
    'auto.create.topics.enable=false',
    'group.initial.rebalance.delay.ms=0',
    // Twice the default 1 MiB request body limit, plus headroom for the envelope.
    'message.max.bytes=2200000',
    'replica.fetch.max.bytes=2200000',
    'num.network.threads=1',
    'num.io.threads=2',
    'log.retention.hours=168',
    'log.segment.bytes=67108864',
    '',
  ].join('\n');
}

export function kafkaSpec(opts: {
  installed: Pick<Installed, 'kafkaLibs'>;
  java: string;
  javaMajor: number;
  dataDir: string;
  ports: StackPorts;
}): ProcessSpec {
  const dir = join(opts.dataDir, 'kafka');
  const logDir = join(dir, 'data');
  mkdirSync(dir, { recursive: true });
  const props = join(dir, 'server.properties');
  const log4j = join(dir, 'log4j2.xml');
  writeFileSync(props, kafkaProperties(opts.ports, logDir));
  writeFileSync(log4j, LOG4J2);
  const classpath = `${opts.installed.kafkaLibs}/*`;
  const jvm = [
    '-Xms256m',
    '-Xmx512m',
    ...jvmFlagsFor(opts.javaMajor),
    `-Dlog4j2.configurationFile=${log4j}`,
    '-cp',
    classpath,
  ];
  if (!existsSync(join(logDir, 'meta.properties'))) {
    // KRaft storage is formatted once per data folder with a fresh cluster id.
    const idFile = join(dir, 'cluster-id');
    if (!existsSync(idFile)) {
      const id = execFileSync(opts.java, [...jvm, 'kafka.tools.StorageTool', 'random-uuid'], {
        encoding: 'utf8',
      }).trim();
      writeFileSync(idFile, id);
    }
    const id = readFileSync(idFile, 'utf8').trim();
    execFileSync(opts.java, [...jvm, 'kafka.tools.StorageTool', 'format', '-t', id, '-c', props], { stdio: 'ignore' });
  }
  return {
    name: 'kafka',
    command: opts.java,
    args: [...jvm, 'kafka.Kafka', props],
    ready: kafkaProbe([`127.0.0.1:${opts.ports.kafka}`]),
    readyTimeoutMs: 90_000,
    restart: false,
    stopTimeoutMs: 20_000,
  };
}

export function registrySpec(opts: {
  installed: Pick<Installed, 'registryJar'>;
  java: string;
  javaMajor: number;
  dataDir: string;
  ports: StackPorts;
}): ProcessSpec {
  const dir = join(opts.dataDir, 'registry');
  mkdirSync(dir, { recursive: true });
  return {
    name: 'registry',
    command: opts.java,
    args: ['-Xms64m', '-Xmx384m', ...jvmFlagsFor(opts.javaMajor), '-jar', opts.installed.registryJar],
    cwd: dir,
    env: {
      ...process.env,
      QUARKUS_HTTP_HOST: '127.0.0.1',
      QUARKUS_HTTP_PORT: String(opts.ports.registry),
      QUARKUS_MANAGEMENT_HOST: '127.0.0.1',
      QUARKUS_MANAGEMENT_PORT: String(opts.ports.registryManagement),
      QUARKUS_LOG_LEVEL: 'WARN',
      QUARKUS_HTTP_ACCESS_LOG_ENABLED: 'false',
      QUARKUS_LOG_CATEGORY__IO_QUARKUS__LEVEL: 'INFO',
      // Schemas must outlive a restart: messages already in Kafka carry their ids.
      APICURIO_STORAGE_KIND: 'sql',
      APICURIO_STORAGE_SQL_KIND: 'h2',
      APICURIO_DATASOURCE_URL: `jdbc:h2:file:${join(dir, 'registry')}`,
      APICURIO_DATASOURCE_USERNAME: 'sa',
      APICURIO_DATASOURCE_PASSWORD: 'sa',
      // @kafkajs/confluent-schema-registry asks for BACKWARD; Apicurio answers config reads
      // for new subjects with the global rule, so the two must agree.
      APICURIO_RULES_GLOBAL_COMPATIBILITY: 'BACKWARD',
    },
    ready: httpProbe(`http://127.0.0.1:${opts.ports.registry}/apis/ccompat/v7/subjects`),
    readyTimeoutMs: 90_000,
    restart: false,
    stopTimeoutMs: 15_000,
  };
}

/** FerretDB on PostgreSQL (see docs/local-stack.md for why not its SQLite backend). */
export function mongoSpec(opts: {
  installed: Pick<Installed, 'ferretdb'>;
  dataDir: string;
  ports: StackPorts;
}): ProcessSpec {
  const dir = join(opts.dataDir, 'ferretdb');
  mkdirSync(dir, { recursive: true });
  return {
    name: 'ferretdb',
    command: opts.installed.ferretdb,
    args: [
      '--handler=postgresql',
      // FerretDB's own pool (20 by default) can wedge under concurrent writers: an operation
      // holding a connection may wait for a second one (its metadata), and when every
      // connection is held so, none comes back. Many more than the services ever use at once.
      `--postgresql-url=postgres://longhaul@127.0.0.1:${opts.ports.postgres}/postgres?pool_max_conns=120`,
      `--state-dir=${dir}`,
      `--listen-addr=127.0.0.1:${opts.ports.mongo}`,
      '--debug-addr=-',
      '--telemetry=disable',
      // FerretDB logs every error reply (such as the driver's endSessions) at WARN.
      '--log-level=error',
    ],
    ready: mongoProbe(`mongodb://127.0.0.1:${opts.ports.mongo}`),
    readyTimeoutMs: 30_000,
    restart: false,
    stopTimeoutMs: 10_000,
  };
}
