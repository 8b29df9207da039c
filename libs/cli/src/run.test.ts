import { LonghaulClient } from '@longhaul/client';
import { describe, expect, it } from 'vitest';
import type { Io } from './io';
import { runCli } from './run';

interface Seen {
  method: string;
  url: string;
  headers: Headers;
  body: string | null;
}

/** The CLI against a fake fetch: what it sends, what it prints, how it exits. No network. */
function harness(answer: (req: Seen) => Response, env: NodeJS.ProcessEnv = { LONGHAUL_API_KEY: 'tenant-key' }) {
  const seen: Seen[] = [];
  let out = '';
  let err = '';
  const io: Io = {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    isTTY: false,
    columns: 80,
    env,
    readFile: () => '{"steps": 2, "stepMs": 10}',
  };
  const fakeFetch = (input: string | URL | Request, init?: RequestInit) => {
    const req = {
      method: init?.method ?? 'GET',
      url: input instanceof Request ? input.url : input.toString(),
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : null,
    };
    seen.push(req);
    return Promise.resolve(answer(req));
  };
  const run = (...argv: string[]) =>
    runCli(argv, io, new AbortController().signal, (o) => new LonghaulClient({ ...o, fetch: fakeFetch }));
  return { run, seen, out: () => out, err: () => err };
}

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
const accepted = {
  id: '01JZ0000000000000000000000',
  type: 'report.generate',
  status: 'queued',
  createdAt: '2025-06-01T12:00:00Z',
  links: { self: '/v1/jobs/01JZ0000000000000000000000', cancel: '' },
};

describe('longhaul (command line)', () => {
  it('submit sends the payload file, the options and a generated Idempotency-Key; --json prints the 202 body', async () => {
    const h = harness(() => json(202, accepted));
    const code = await h.run(
      '--json',
      '--url',
      'http://api:1',
      'submit',
      'report.generate',
      '--payload',
      '@p.json',
      '--max-attempts',
      '2',
    );
    expect(code).toBe(0);
    const req = h.seen[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('http://api:1/v1/jobs');
    expect(req.headers.get('authorization')).toBe('Bearer tenant-key');
    expect(req.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(req.body!)).toEqual({
      type: 'report.generate',
      payload: { steps: 2, stepMs: 10 },
      options: { maxAttempts: 2 },
    });
    expect(JSON.parse(h.out())).toMatchObject({ id: accepted.id, idempotencyKey: req.headers.get('idempotency-key') });
  });

  it('maps problem documents to exit codes and prints their detail and field errors', async () => {
    const problem = (status: number, title: string, extra = {}) =>
      json(
        status,
        { type: '/problems/x', title, status, detail: `${title} detail`, ...extra },
        'application/problem+json',
      );
    const notFound = harness(() => problem(404, 'Not Found'));
    expect(await notFound.run('status', '01JZ0000000000000000000000')).toBe(4);
    expect(notFound.err()).toContain('Not Found (404): Not Found detail');

    const invalid = harness(() =>
      problem(422, 'Unprocessable Content', { errors: [{ pointer: '/payload/steps', message: 'must be >= 1' }] }),
    );
    expect(await invalid.run('submit', 'report.generate', '-p', '{"steps":0}')).toBe(3);
    expect(invalid.err()).toContain('/payload/steps: must be >= 1');

    const unauthorized = harness(() => problem(401, 'Unauthorized'));
    expect(await unauthorized.run('list')).toBe(5);
    const unavailable = harness(() => problem(503, 'Service Unavailable'));
    expect(await unavailable.run('cancel', '01JZ0000000000000000000000')).toBe(6);
  });

  it('with --json, an API error goes to stderr as the problem document', async () => {
    const h = harness(() =>
      json(
        409,
        { type: '/problems/job-finished', title: 'Job Already Finished', status: 409, detail: 'done' },
        'application/problem+json',
      ),
    );
    expect(await h.run('--json', 'cancel', '01JZ0000000000000000000000')).toBe(3);
    expect(JSON.parse(h.err())).toEqual({
      error: { type: '/problems/job-finished', title: 'Job Already Finished', status: 409, detail: 'done' },
    });
  });

  it('refuses bad command lines with exit 2 before any request', async () => {
    const h = harness(() => json(200, {}), {});
    expect(await h.run('submit', 'sleep', '--payload', '{oops')).toBe(2);
    expect(await h.run('list', '--status', 'sleeping')).toBe(2);
    expect(await h.run('webhooks', 'add', 'https://x.example', '--events', 'job.done')).toBe(2);
    expect(await h.run('nonsense')).toBe(2);
    expect(await h.run('status', '01JZ0000000000000000000000')).toBe(2); // no key anywhere
    expect(h.err()).toContain('no API key: pass --key or set LONGHAUL_API_KEY');
    expect(h.seen).toEqual([]);
  });

  it('operator commands send the admin key; lag prints the replicas KEDA would run', async () => {
    const lag = {
      topic: 't.jobs.requested',
      group: 't.processor',
      measuredAt: '2025-06-01T12:00:00Z',
      totalLag: 25,
      partitions: [
        { partition: 0, startOffset: '0', endOffset: '20', committedOffset: '5', lag: 15 },
        { partition: 1, startOffset: '0', endOffset: '10', committedOffset: null, lag: 10 },
      ],
    };
    const h = harness(() => json(200, lag), { LONGHAUL_API_KEY: 'tenant-key', LONGHAUL_ADMIN_KEY: 'admin-key' });
    expect(await h.run('lag', '--lag-threshold', '20')).toBe(0);
    expect(h.seen[0]!.headers.get('authorization')).toBe('Bearer admin-key');
    expect(h.seen[0]!.url).toMatch(/\/v1\/admin\/lag$/);
    expect(h.out()).toContain('total lag 25 → KEDA would run 2 processors');
  });
});
