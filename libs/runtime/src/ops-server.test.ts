import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '@longhaul/telemetry';
import { closeServer, createOpsHandler, startOpsServer } from './ops-server';
import { createReadiness } from './readiness';

describe('ops endpoints', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server) await closeServer(server);
  });

  async function start(ready: () => boolean | Promise<boolean>) {
    const readiness = createReadiness({ checkTimeoutMs: 100 });
    readiness.add('dep', ready);
    const metrics = createMetrics({ service: 'svc' });
    server = await startOpsServer({ host: '127.0.0.1', port: 0, handler: createOpsHandler({ metrics, readiness }) });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return { readiness, url: (p: string) => `http://127.0.0.1:${port}${p}` };
  }

  it('/healthz answers while /readyz follows the checks', async () => {
    let depUp = false;
    const { readiness, url } = await start(() => depUp);
    expect((await fetch(url('/healthz'))).status).toBe(200);
    const notReady = await fetch(url('/readyz'));
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ status: 'not ready', checks: { dep: { ok: false } } });
    depUp = true;
    expect((await fetch(url('/readyz'))).status).toBe(200);
    readiness.markShuttingDown();
    expect((await fetch(url('/readyz'))).status).toBe(503);
  });

  it('a hanging or throwing check is not ready, not a hung request', async () => {
    const hanging = await start(() => new Promise<boolean>(() => undefined));
    const res = await fetch(hanging.url('/readyz'));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ checks: { dep: { ok: false, detail: 'no answer within 100 ms' } } });
  });

  it('/metrics serves the default metrics labelled with the service', async () => {
    const { url } = await start(() => true);
    const res = await fetch(url('/metrics'));
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toMatch(/process_cpu_user_seconds_total\{service="svc"\}/);
    expect((await fetch(url('/other'))).status).toBe(404);
  });

  it('refuses a taken port with a message naming it', async () => {
    const { url } = await start(() => true);
    const port = Number(new URL(url('/')).port);
    const readiness = createReadiness();
    await expect(
      startOpsServer({
        host: '127.0.0.1',
        port,
        handler: createOpsHandler({ metrics: createMetrics({ service: 'x' }), readiness }),
      }),
    ).rejects.toThrow(`port 127.0.0.1:${port} is already in use`);
  });
});
