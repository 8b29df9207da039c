import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports';
import { serviceEnv, startService, type ServiceProcess } from '../helpers/service-process';
import { dropTestDatabase, uniqueName } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

const SERVICES = ['ingress', 'processor', 'projector', 'notifier'] as const;
const GRACE_MS = 10_000;

async function get(port: number, path: string) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(3_000) });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

// Each service as its own process against the real stack: starts, is really ready, serves
// metrics, and exits 0 on SIGTERM within its grace period.
describe.each(SERVICES)('the %s service', (name) => {
  const prefix = `${uniqueName(`it-${name}`)}.`;
  const database = uniqueName(`it-${name}`);
  let service: ServiceProcess | undefined;

  afterAll(async () => {
    if (service && service.child.exitCode === null) service.child.kill('SIGKILL');
    await dropTestDatabase(database);
  });

  it('starts, reports ready, serves metrics, and exits 0 on SIGTERM within its grace period', async () => {
    const port = await freePort();
    service = startService(name, serviceEnv({ prefix, database, port }));
    const svc = service;

    const alive = await waitFor('/healthz', async () => (await get(port, '/healthz')).status === 200, {
      timeoutMs: 30_000,
    });
    expect(alive).toBe(true);
    const ready = await waitFor(
      '/readyz to answer 200',
      async () => {
        const r = await get(port, '/readyz');
        return r.status === 200 ? r : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const readiness = JSON.parse(ready.body) as { status: string; checks: Record<string, { ok: boolean }> };
    expect(readiness.status).toBe('ready');
    // Ready means the real dependencies answered, not a constant.
    if (name === 'ingress') {
      // Ingress readiness is its start-up (connected to everything); in a later outage it
      // stays routable and answers 503 itself.
      expect(readiness.checks['started']?.ok).toBe(true);
    } else {
      expect(Object.keys(readiness.checks)).toEqual(expect.arrayContaining(['started', 'mongo', 'schema-registry']));
    }
    if (name !== 'ingress') {
      const groups = Object.entries(readiness.checks).filter(([check]) => check.endsWith('-group'));
      expect(groups.length).toBeGreaterThan(0);
      for (const [, check] of groups) expect(check.ok).toBe(true);
    }

    const metrics = await get(port, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toContain('text/plain');
    expect(metrics.body).toMatch(new RegExp(`process_cpu_user_seconds_total\\{service="${name}"\\} `));
    expect(metrics.body).toContain('nodejs_eventloop_lag_seconds');

    const unknown = await get(port, '/nope');
    expect(unknown.status).toBe(404);

    const { code, ms } = await svc.terminate();
    expect(code, svc.output()).toBe(0);
    expect(ms).toBeLessThan(GRACE_MS);
    expect(svc.output()).toContain('shutdown complete');
  });
});

describe('readiness follows the dependencies', () => {
  it('a service whose Kafka is unreachable never reports ready and exits non-zero', async () => {
    const port = await freePort();
    const service = startService(
      'processor',
      serviceEnv({
        prefix: `${uniqueName('it-nokafka')}.`,
        database: uniqueName('it-nokafka'),
        port,
        extra: { LONGHAUL_KAFKA_BROKERS: `127.0.0.1:${await freePort()}` },
      }),
    );
    await waitFor('/healthz', async () => (await get(port, '/healthz')).status === 200, { timeoutMs: 30_000 });
    expect((await get(port, '/readyz')).status).toBe(503);
    const { code } = await service.exited;
    expect(code).not.toBe(0);
  });
});
