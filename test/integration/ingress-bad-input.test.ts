import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngress, type IngressUnderTest } from '../helpers/ingress';
import { countMessages } from '../helpers/kafka';
import { adminKey, tenants } from '../helpers/tenants';

const key = tenants.acme.key;
const job = (over: Record<string, unknown> = {}) => ({ type: 'sleep', payload: { ms: 1 }, ...over });
const nested = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

interface Case {
  name: string;
  method?: string;
  path?: string;
  /** Undefined sends no Authorization header. */
  auth?: string | null;
  body?: unknown;
  raw?: string | Buffer;
  headers?: Record<string, string>;
  status: number;
  type: string;
  /** For 422: a pointer that must be among the reported errors. */
  pointer?: string;
}

const V = '/problems/validation';
const cases: Case[] = [
  // The body as bytes
  { name: 'malformed JSON', raw: '{"type": "sleep",', status: 400, type: '/problems/malformed-json' },
  { name: 'an empty body', raw: '', status: 400, type: '/problems/malformed-json' },
  {
    name: 'JSON with a trailing comma',
    raw: '{"type":"sleep","payload":{"ms":1},}',
    status: 400,
    type: '/problems/malformed-json',
  },
  {
    name: 'a body of 1 MiB and more',
    raw: JSON.stringify(job({ payload: { ms: 1, pad: 'x'.repeat(1_100_000) } })),
    status: 413,
    type: '/problems/body-too-large',
  },
  {
    name: 'a body nested 40 levels deep',
    body: job({ payload: nested(40) }),
    status: 400,
    type: '/problems/malformed-json',
  },
  {
    name: 'a body nested 5,000 levels deep',
    raw: `${'['.repeat(5000)}${']'.repeat(5000)}`,
    status: 400,
    type: '/problems/malformed-json',
  },
  // Media types
  {
    name: 'no Content-Type',
    raw: JSON.stringify(job()),
    headers: {},
    status: 415,
    type: '/problems/unsupported-media-type',
  },
  {
    name: 'text/plain',
    raw: JSON.stringify(job()),
    headers: { 'content-type': 'text/plain' },
    status: 415,
    type: '/problems/unsupported-media-type',
  },
  {
    name: 'a form post',
    raw: 'type=sleep&payload=1',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
    type: '/problems/unsupported-media-type',
  },
  {
    name: 'JSON in latin1',
    raw: JSON.stringify(job()),
    headers: { 'content-type': 'application/json; charset=latin1' },
    status: 415,
    type: '/problems/unsupported-media-type',
  },
  // The request's shape
  { name: 'null', raw: 'null', status: 422, type: V },
  { name: 'an array', body: [job()], status: 422, type: V },
  { name: 'a string', body: 'sleep', status: 422, type: V },
  { name: 'no type', body: { payload: { ms: 1 } }, status: 422, type: V, pointer: '/type' },
  { name: 'no payload', body: { type: 'sleep' }, status: 422, type: V, pointer: '/payload' },
  { name: 'a numeric type', body: job({ type: 7 }), status: 422, type: V, pointer: '/type' },
  { name: 'an unknown field', body: job({ priority: 'high' }), status: 422, type: V, pointer: '/priority' },
  {
    name: 'a __proto__ field',
    raw: '{"type":"sleep","payload":{"ms":1},"__proto__":{"admin":true}}',
    status: 422,
    type: V,
    pointer: '/__proto__',
  },
  // Job types
  { name: 'an unknown type', body: job({ type: 'shell.exec' }), status: 422, type: V, pointer: '/type' },
  { name: 'a path-traversal type', body: job({ type: '../../etc/passwd' }), status: 422, type: V, pointer: '/type' },
  { name: 'a shell-injection type', body: job({ type: 'sleep; rm -rf /' }), status: 422, type: V, pointer: '/type' },
  { name: 'a 1,000-character type', body: job({ type: 's'.repeat(1000) }), status: 422, type: V, pointer: '/type' },
  // Payloads
  { name: 'ms as a string', body: job({ payload: { ms: '10' } }), status: 422, type: V, pointer: '/payload/ms' },
  { name: 'a negative ms', body: job({ payload: { ms: -1 } }), status: 422, type: V, pointer: '/payload/ms' },
  { name: 'an astronomical ms', body: job({ payload: { ms: 1e20 } }), status: 422, type: V, pointer: '/payload/ms' },
  { name: 'a fractional ms', body: job({ payload: { ms: 1.5 } }), status: 422, type: V, pointer: '/payload/ms' },
  {
    name: 'a Mongo operator as a value',
    body: job({ payload: { ms: { $gt: 0 } } }),
    status: 422,
    type: V,
    pointer: '/payload/ms',
  },
  {
    name: 'a $where key',
    body: job({ payload: { ms: 1, $where: 'sleep(1000)' } }),
    status: 422,
    type: V,
    pointer: '/payload/$where',
  },
  {
    name: 'a constructor key',
    body: job({ payload: { ms: 1, constructor: { prototype: { x: 1 } } } }),
    status: 422,
    type: V,
    pointer: '/payload/constructor',
  },
  {
    name: 'report.generate with 0 steps',
    body: { type: 'report.generate', payload: { steps: 0, stepMs: 1 } },
    status: 422,
    type: V,
    pointer: '/payload/steps',
  },
  {
    name: 'fail with a 2,000-character message',
    body: { type: 'fail', payload: { message: 'm'.repeat(2000) } },
    status: 422,
    type: V,
    pointer: '/payload/message',
  },
  {
    name: 'a payload that is not an object',
    body: job({ payload: 'ms=1' }),
    status: 422,
    type: V,
    pointer: '/payload',
  },
  // Options
  {
    name: 'maxAttempts 0',
    body: job({ options: { maxAttempts: 0 } }),
    status: 422,
    type: V,
    pointer: '/options/maxAttempts',
  },
  {
    name: 'maxAttempts over the type limit',
    body: job({ options: { maxAttempts: 500 } }),
    status: 422,
    type: V,
    pointer: '/options/maxAttempts',
  },
  {
    name: 'maxAttempts 2.5',
    body: job({ options: { maxAttempts: 2.5 } }),
    status: 422,
    type: V,
    pointer: '/options/maxAttempts',
  },
  {
    name: 'a 10 ms timeout',
    body: job({ options: { timeoutMs: 10 } }),
    status: 422,
    type: V,
    pointer: '/options/timeoutMs',
  },
  {
    name: 'an unknown option',
    body: job({ options: { priority: 1 } }),
    status: 422,
    type: V,
    pointer: '/options/priority',
  },
  // Webhooks
  {
    name: 'a plain-http webhook',
    body: job({ webhook: { url: 'http://hooks.example.com/x' } }),
    status: 422,
    type: V,
    pointer: '/webhook/url',
  },
  {
    name: 'a webhook to the metadata service',
    body: job({ webhook: { url: 'https://169.254.169.254/latest/meta-data' } }),
    status: 422,
    type: V,
    pointer: '/webhook/url',
  },
  {
    name: 'a webhook to localhost',
    body: job({ webhook: { url: 'https://localhost:8443/x' } }),
    status: 422,
    type: V,
    pointer: '/webhook/url',
  },
  {
    name: 'a webhook to a private address',
    body: job({ webhook: { url: 'https://10.1.2.3/x' } }),
    status: 422,
    type: V,
    pointer: '/webhook/url',
  },
  {
    name: 'a webhook to a decimal loopback',
    body: job({ webhook: { url: 'https://2130706433/x' } }),
    status: 422,
    type: V,
    pointer: '/webhook/url',
  },
  {
    name: 'a webhook with credentials',
    body: job({ webhook: { url: 'https://u:p@hooks.example.com/' } }),
    status: 422,
    type: V,
    pointer: '/webhook/url',
  },
  {
    name: 'a javascript: webhook',
    body: job({ webhook: { url: 'javascript:alert(1)' } }),
    status: 422,
    type: V,
    pointer: '/webhook/url',
  },
  {
    name: 'a webhook URL that is a number',
    body: job({ webhook: { url: 42 } }),
    status: 422,
    type: V,
    pointer: '/webhook/url',
  },
  {
    name: 'a malformed webhook secret',
    body: job({ webhook: { url: 'https://hooks.example.com/', secret: 'hunter2' } }),
    status: 422,
    type: V,
    pointer: '/webhook/secret',
  },
  {
    name: 'an unknown webhook event',
    body: job({ webhook: { url: 'https://hooks.example.com/', events: ['job.hacked'] } }),
    status: 422,
    type: V,
    pointer: '/webhook/events/0',
  },
  // Headers
  {
    name: 'a 300-character Idempotency-Key',
    body: job(),
    headers: { 'content-type': 'application/json', 'idempotency-key': 'k'.repeat(300) },
    status: 400,
    type: '/problems/bad-request',
  },
  {
    name: 'a blank quoted Idempotency-Key',
    body: job(),
    headers: { 'content-type': 'application/json', 'idempotency-key': '"   "' },
    status: 400,
    type: '/problems/bad-request',
  },
  // Keys
  { name: 'no API key', body: job(), auth: null, status: 401, type: '/problems/unauthorized' },
  {
    name: 'a wrong API key',
    body: job(),
    auth: 'Bearer acme_test_key_wrong_0123456789abcdefghij',
    status: 401,
    type: '/problems/unauthorized',
  },
  { name: 'Basic credentials', body: job(), auth: 'Basic YWNtZTpwdw==', status: 401, type: '/problems/unauthorized' },
  {
    name: 'an SQL-injection key',
    body: job(),
    auth: "Bearer ' OR 1=1 --",
    status: 401,
    type: '/problems/unauthorized',
  },
  {
    name: 'an admin key outside /v1/admin',
    body: job(),
    auth: `Bearer ${adminKey}`,
    status: 403,
    type: '/problems/forbidden',
  },
  // Ids, cursors, queries
  {
    name: 'a malformed job id',
    method: 'GET',
    path: '/v1/jobs/not-a-job-id',
    status: 404,
    type: '/problems/not-found',
  },
  {
    name: 'an encoded path traversal id',
    method: 'GET',
    path: '/v1/jobs/..%2F..%2Fetc%2Fpasswd',
    status: 404,
    type: '/problems/not-found',
  },
  {
    name: 'a script tag as id',
    method: 'GET',
    path: '/v1/jobs/%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    status: 404,
    type: '/problems/not-found',
  },
  {
    name: 'cancelling an unknown job',
    method: 'POST',
    path: '/v1/jobs/01KA0000000000000000000000/cancel',
    status: 404,
    type: '/problems/not-found',
  },
  {
    name: 'a garbage cursor',
    method: 'GET',
    path: '/v1/jobs?cursor=!!garbage!!',
    status: 400,
    type: '/problems/bad-request',
  },
  {
    name: 'a forged cursor',
    method: 'GET',
    path: `/v1/jobs?cursor=${Buffer.from('{"v":1,"before":{"$gt":""}}').toString('base64url')}`,
    status: 400,
    type: '/problems/bad-request',
  },
  { name: 'limit 0', method: 'GET', path: '/v1/jobs?limit=0', status: 400, type: '/problems/bad-request' },
  { name: 'limit 1000', method: 'GET', path: '/v1/jobs?limit=1000', status: 400, type: '/problems/bad-request' },
  {
    name: 'an unknown status filter',
    method: 'GET',
    path: '/v1/jobs?status=done',
    status: 400,
    type: '/problems/bad-request',
  },
  {
    name: 'a repeated status filter',
    method: 'GET',
    path: '/v1/jobs?status=queued&status=running',
    status: 400,
    type: '/problems/bad-request',
  },
  {
    name: 'an unknown query parameter',
    method: 'GET',
    path: '/v1/jobs?tenant=globex',
    status: 400,
    type: '/problems/bad-request',
  },
  {
    name: 'createdAfter that is not a date',
    method: 'GET',
    path: '/v1/jobs?createdAfter=yesterday',
    status: 400,
    type: '/problems/bad-request',
  },
  // Methods and routes
  {
    name: 'DELETE on the collection',
    method: 'DELETE',
    path: '/v1/jobs',
    status: 405,
    type: '/problems/method-not-allowed',
  },
  {
    name: 'PUT on a job',
    method: 'PUT',
    path: '/v1/jobs/01KA0000000000000000000000',
    body: job(),
    status: 405,
    type: '/problems/method-not-allowed',
  },
  { name: 'an unknown route', method: 'GET', path: '/v1/secrets', status: 404, type: '/problems/not-found' },
];

describe('bad input: a clear 4xx problem document, and nothing published or stored', () => {
  let api: IngressUnderTest;
  beforeAll(async () => {
    api = await startIngress();
  }, 90_000);
  afterAll(() => api?.stop());

  it(`has at least 40 distinct cases (${cases.length})`, () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('$name → $status', async (c) => {
    const headers: Record<string, string> =
      c.headers ?? (c.raw !== undefined ? { 'content-type': 'application/json' } : {});
    const auth = c.auth === undefined ? `Bearer ${key}` : c.auth;
    if (auth !== null) headers['authorization'] = auth;
    const res = await api.call(c.method ?? 'POST', c.path ?? '/v1/jobs', {
      ...(c.body !== undefined ? { body: c.body } : {}),
      ...(c.raw !== undefined ? { raw: c.raw } : {}),
      headers,
    });
    expect(res.status, res.text.slice(0, 500)).toBe(c.status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = res.body as {
      type: string;
      title: string;
      status: number;
      detail: string;
      errors?: { pointer: string }[];
    };
    expect(problem).toMatchObject({ type: c.type, status: c.status });
    expect(problem.title).toEqual(expect.any(String));
    expect(problem.detail).toEqual(expect.any(String));
    if (c.pointer) expect(problem.errors?.map((e) => e.pointer)).toContain(c.pointer);
    // Nothing of what was sent comes back verbatim in a way that could carry markup.
    expect(res.text).not.toContain('<script>');
  });

  it('published nothing, stored nothing, and is still alive', async () => {
    expect(await countMessages(`${api.prefix}jobs.requested`)).toBe(0);
    expect(await countMessages(`${api.prefix}jobs.control`)).toBe(0);
    const db = api.db;
    expect(await db.collection('acceptances').countDocuments()).toBe(0);
    expect(await db.collection('idempotency_keys').countDocuments()).toBe(0);
    expect(await db.collection('acceptance_outbox').countDocuments()).toBe(0);
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    expect(api.process.output()).not.toContain(key);
  });

  it('answered every case as the OpenAPI document says', () => {
    expect(api.violations).toEqual([]);
  });
});
