import { join } from 'node:path';
import type { Endpoints } from './infrastructure';
import { notifierOpsPort, processorOpsPort, projectorOpsPort, type StackPorts } from './ports';
import { httpProbe } from './probes';
import type { ProcessSpec } from './supervisor';

export interface ServiceSettings {
  readonly root: string;
  readonly node: string;
  readonly ports: StackPorts;
  readonly endpoints: Endpoints;
  readonly processors: number;
  /** Extra environment for every service (tests pass a topic prefix, a database…). */
  readonly env?: NodeJS.ProcessEnv;
}

/** Where a service (or a command run beside them) finds the local infrastructure. */
export function infrastructureEnv(endpoints: Endpoints): NodeJS.ProcessEnv {
  return {
    LONGHAUL_KAFKA_BROKERS: endpoints.kafkaBrokers,
    LONGHAUL_SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
    LONGHAUL_MONGO_URL: endpoints.mongoUrl,
  };
}

function serviceSpec(
  s: ServiceSettings,
  name: string,
  dir: string,
  opsPort: number,
  extra: NodeJS.ProcessEnv,
): ProcessSpec {
  return {
    name,
    command: s.node,
    // kafkajs 2.2.4 arms timers with negative delays; Node 24 warns on each (harmless: they
    // were always clamped to 1 ms).
    args: [
      '--enable-source-maps',
      '--disable-warning=TimeoutNegativeWarning',
      // LONGHAUL_CPU_PROFILE_DIR: each service writes a V8 CPU profile there when it stops.
      ...(process.env['LONGHAUL_CPU_PROFILE_DIR']
        ? [
            '--cpu-prof',
            `--cpu-prof-dir=${process.env['LONGHAUL_CPU_PROFILE_DIR']}`,
            `--cpu-prof-name=${name}.cpuprofile`,
          ]
        : []),
      join(s.root, 'services', dir, 'dist', 'main.js'),
    ],
    cwd: s.root,
    env: {
      ...process.env,
      ...infrastructureEnv(s.endpoints),
      LONGHAUL_BIND_HOST: '127.0.0.1',
      LONGHAUL_INSTANCE_ID: name,
      ...s.env,
      ...extra,
    },
    ready: httpProbe(`http://127.0.0.1:${opsPort}/readyz`),
    readyTimeoutMs: 60_000,
    restart: true,
    stopTimeoutMs: 30_000,
  };
}

/** The four services; the processor runs `processors` times as competing consumers. */
export function serviceSpecs(s: ServiceSettings): ProcessSpec[] {
  const specs: ProcessSpec[] = [
    serviceSpec(s, 'ingress', 'ingress', s.ports.http, { LONGHAUL_HTTP_PORT: String(s.ports.http) }),
    serviceSpec(s, 'projector', 'projector', projectorOpsPort(s.ports), {
      LONGHAUL_OPS_PORT: String(projectorOpsPort(s.ports)),
    }),
    serviceSpec(s, 'notifier', 'notifier', notifierOpsPort(s.ports), {
      LONGHAUL_OPS_PORT: String(notifierOpsPort(s.ports)),
    }),
  ];
  for (let i = 0; i < s.processors; i++) {
    const port = processorOpsPort(s.ports, i);
    specs.push(serviceSpec(s, `processor-${i + 1}`, 'processor', port, { LONGHAUL_OPS_PORT: String(port) }));
  }
  return specs;
}

/** Where Prometheus scrapes each service of the stack (`job` = the service). */
export function serviceTargets(
  ports: StackPorts,
  processors: number,
): { job: string; address: string; name: string }[] {
  const at = (port: number) => `127.0.0.1:${port}`;
  return [
    { job: 'ingress', name: 'ingress', address: at(ports.http) },
    { job: 'projector', name: 'projector', address: at(projectorOpsPort(ports)) },
    { job: 'notifier', name: 'notifier', address: at(notifierOpsPort(ports)) },
    ...Array.from({ length: processors }, (_, i) => ({
      job: 'processor',
      name: `processor-${i + 1}`,
      address: at(processorOpsPort(ports, i)),
    })),
  ];
}
