import { createServer } from 'node:net';

/** Every port the local stack listens on (all on 127.0.0.1), each overridable by a variable. */
export interface StackPorts {
  readonly http: number;
  readonly kafka: number;
  readonly kafkaController: number;
  readonly registry: number;
  /** Quarkus' management interface (health, metrics) of the registry; it cannot be switched off. */
  readonly registryManagement: number;
  readonly mongo: number;
  /** PostgreSQL, FerretDB's storage. */
  readonly postgres: number;
  /** Ops (health and metrics) ports: projector base+2, notifier base+3, processor i base+11+i. */
  readonly opsBase: number;
  /** Prometheus (started by `npm start`; tests start their own on a free port). */
  readonly prometheus: number;
}

export type Profile = 'dev' | 'test' | 'bench';

const DEFAULTS: Record<Profile, StackPorts> = {
  dev: {
    http: 8080,
    kafka: 9092,
    kafkaController: 9093,
    registry: 8081,
    registryManagement: 8082,
    mongo: 27017,
    postgres: 27432,
    opsBase: 9100,
    prometheus: 9090,
  },
  test: {
    http: 18080,
    kafka: 19092,
    kafkaController: 19093,
    registry: 18081,
    registryManagement: 18082,
    mongo: 37017,
    postgres: 37432,
    opsBase: 19100,
    prometheus: 19090,
  },
  bench: {
    http: 28080,
    kafka: 29092,
    kafkaController: 29093,
    registry: 28081,
    registryManagement: 28082,
    mongo: 47017,
    postgres: 47432,
    opsBase: 29100,
    prometheus: 29090,
  },
};

const VARIABLES: Record<keyof StackPorts, string> = {
  http: 'LONGHAUL_HTTP_PORT',
  kafka: 'LONGHAUL_KAFKA_PORT',
  kafkaController: 'LONGHAUL_KAFKA_CONTROLLER_PORT',
  registry: 'LONGHAUL_REGISTRY_PORT',
  registryManagement: 'LONGHAUL_REGISTRY_MANAGEMENT_PORT',
  mongo: 'LONGHAUL_MONGO_PORT',
  postgres: 'LONGHAUL_POSTGRES_PORT',
  opsBase: 'LONGHAUL_OPS_BASE_PORT',
  prometheus: 'LONGHAUL_PROMETHEUS_PORT',
};

export function portsFor(profile: Profile, env: NodeJS.ProcessEnv): StackPorts {
  const out = { ...DEFAULTS[profile] };
  const problems: string[] = [];
  for (const key of Object.keys(VARIABLES) as (keyof StackPorts)[]) {
    const raw = env[VARIABLES[key]];
    if (raw === undefined || raw === '') continue;
    const n = /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(n >= 1 && n <= 65535)) problems.push(`${VARIABLES[key]} must be a port number (1-65535), got "${raw}"`);
    else out[key] = n;
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return out;
}

export const processorOpsPort = (ports: StackPorts, index: number): number => ports.opsBase + 11 + index;
export const projectorOpsPort = (ports: StackPorts): number => ports.opsBase + 2;
export const notifierOpsPort = (ports: StackPorts): number => ports.opsBase + 3;

/** Resolves to true when nothing listens on host:port. */
export function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Names each taken port and the variable that moves it. */
export async function takenPorts(
  wanted: readonly { name: string; port: number; variable: string }[],
): Promise<string[]> {
  const taken: string[] = [];
  for (const w of wanted) {
    if (!(await portIsFree(w.port))) {
      taken.push(`port ${w.port} (${w.name}) is already in use on 127.0.0.1; set ${w.variable} to use another`);
    }
  }
  return taken;
}

export { VARIABLES as PORT_VARIABLES };
