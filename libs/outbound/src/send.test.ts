import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgents, parseRetryAfter, sendWebhook } from './send';
import { parseCidrList, type OutboundRules } from './webhook-url';

const local = {
  allowHttp: true,
  allowCidrs: parseCidrList('127.0.0.0/8, ::1/128, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7'),
};
const strict: OutboundRules = { allowHttp: true, allowCidrs: [] };

describe('sending a webhook', () => {
  let server: Server;
  let base: string;
  const seen: { path: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const routes: Record<string, (res: ServerResponse) => void> = {
    '/ok': (res) => res.writeHead(204).end(),
    '/boom': (res) => res.writeHead(500).end('internal trouble'),
    '/slow-down': (res) => res.writeHead(429, { 'retry-after': '7' }).end(),
    '/gone': (res) => res.writeHead(410).end(),
    '/nope': (res) => res.writeHead(404).end('not here'),
    '/moved': (res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end(),
    '/big': (res) => res.writeHead(200).end('x'.repeat(200_000)),
    '/hang': () => undefined,
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', headers: req.headers, body });
        (routes[req.url ?? ''] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const send = (path: string, opts: Partial<Parameters<typeof sendWebhook>[2]> = {}) =>
    sendWebhook(
      `${base}${path}`,
      { headers: { 'webhook-id': 'msg_1' }, body: '{"a":1}' },
      { rules: local, timeoutMs: 2_000, ...opts },
    );

  it('posts the body with its headers, and classifies every answer', async () => {
    expect(await send('/ok')).toMatchObject({ outcome: 'delivered', status: 204, error: null });
    expect(seen.at(-1)).toMatchObject({
      path: '/ok',
      body: '{"a":1}',
      headers: { 'webhook-id': 'msg_1', 'content-type': 'application/json' },
    });
    expect(await send('/boom')).toMatchObject({ outcome: 'retry', status: 500, responseSnippet: 'internal trouble' });
    expect(await send('/slow-down')).toMatchObject({ outcome: 'retry', status: 429, retryAfterMs: 7_000 });
    expect(await send('/gone')).toMatchObject({ outcome: 'gone', status: 410 });
    expect(await send('/nope')).toMatchObject({ outcome: 'failed', status: 404 });
  });

  it('does not follow redirects', async () => {
    const before = seen.length;
    expect(await send('/moved')).toMatchObject({
      outcome: 'failed',
      status: 302,
      error: 'redirect (302) not followed',
    });
    expect(seen.length).toBe(before + 1);
  });

  it('reads at most the cap of a response, and keeps the first bytes', async () => {
    const r = await send('/big', { maxResponseBytes: 4_096 });
    expect(r.outcome).toBe('delivered');
    expect(r.responseSnippet).toHaveLength(1_024);
  });

  it('gives up on a receiver that hangs, within the timeout, as one to retry', async () => {
    const r = await send('/hang', { timeoutMs: 300 });
    expect(r).toMatchObject({ outcome: 'retry', status: null });
    expect(r.error).toContain('300 ms');
    expect(r.latencyMs).toBeLessThan(2_000);
  });

  it('refuses forbidden targets without connecting', async () => {
    const before = seen.length;
    for (const target of [
      `${base}/ok`.replace('127.0.0.1', '127.0.0.1'),
      'http://10.0.0.1:8080/x',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]:8080/x',
      'http://[::ffff:127.0.0.1]:8080/x',
      'http://localhost:8080/x',
    ]) {
      const r = await sendWebhook(target, { headers: {}, body: '{}' }, { rules: strict, timeoutMs: 1_000 });
      expect(r.outcome, target).toBe('failed');
      expect(r.error, target).toMatch(/^forbidden target/);
    }
    expect(seen.length).toBe(before);
  });

  it('checks the address it connects to: a public name resolving (or rebinding) to a private address is refused', async () => {
    const before = seen.length;
    const port = new URL(base).port;
    const rebinding = (host: string) => {
      expect(host).toBe('hooks.example.com');
      return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    };
    const r = await sendWebhook(
      `http://hooks.example.com:${port}/ok`,
      { headers: {}, body: '{}' },
      { rules: strict, timeoutMs: 1_000, resolve: rebinding },
    );
    expect(r).toMatchObject({ outcome: 'failed' });
    expect(r.error).toMatch(/^forbidden target: the address 127\.0\.0\.1 is in a loopback range/);
    const mixed = () =>
      Promise.resolve([
        { address: '93.184.216.34', family: 4 },
        { address: '10.1.2.3', family: 4 },
      ]);
    expect(
      (
        await sendWebhook(
          `http://hooks.example.com:${port}/ok`,
          { headers: {}, body: '{}' },
          { rules: strict, timeoutMs: 1_000, resolve: mixed },
        )
      ).outcome,
    ).toBe('failed');
    expect(seen.length).toBe(before);
    // Allowed by the rules (tests, development): the same name reaches the local receiver.
    const allowed = await sendWebhook(
      `http://hooks.example.com:${port}/ok`,
      { headers: {}, body: '{}' },
      { rules: local, timeoutMs: 1_000, resolve: rebinding },
    );
    expect(allowed.outcome).toBe('delivered');
  });

  it('reuses a kept-alive connection per origin', async () => {
    const agents = createAgents({ maxSocketsPerOrigin: 2 });
    const ports = new Set<number>();
    server.on('connection', (s) => ports.add(s.remotePort ?? 0));
    for (let i = 0; i < 5; i++) expect((await send('/ok', { agents })).outcome).toBe('delivered');
    expect(ports.size).toBe(1);
    agents.destroy();
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(undefined)).toBeNull();
  });
});
