import { MongoClient, type Db } from 'mongodb';
import { OpenApiChecker } from './openapi';
import { freePort } from './ports';
import { serviceEnv, startService, type ServiceProcess } from './service-process';
import { dropTestDatabase, testStack, uniqueName } from './stack';
import { waitFor } from './wait';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the body is JSON, else the text. */
  body: T;
  text: string;
}

export interface IngressUnderTest {
  readonly url: string;
  readonly prefix: string;
  readonly database: string;
  /** The ingress's own database, for checking what it stored. */
  readonly db: Db;
  readonly process: ServiceProcess;
  /** Every response is checked against the served OpenAPI document; what did not match. */
  readonly violations: string[];
  readonly openapi: OpenApiChecker;
  /** One HTTP call; `key` becomes the Bearer token, an object `body` is sent as JSON. */
  call<T = unknown>(
    method: string,
    path: string,
    opts?: { key?: string; body?: unknown; raw?: string | Buffer; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>>;
  stop(): Promise<void>;
}

/** An ingress process against the real stack, on its own topics and database. */
export async function startIngress(extra: NodeJS.ProcessEnv = {}): Promise<IngressUnderTest> {
  const prefix = `${uniqueName('it-api')}.`;
  const database = uniqueName('it-api');
  const port = await freePort();
  const proc = startService('ingress', serviceEnv({ prefix, database, port, extra }));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    'ingress ready',
    async () => {
      if (proc.child.exitCode !== null) throw new Error(`ingress exited:\n${proc.output()}`);
      return (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200;
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  const openapi = await OpenApiChecker.load(url);
  const mongoUrl = extra['LONGHAUL_MONGO_URL'] ?? testStack().mongoUrl;
  const mongo = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 5_000 });
  const violations: string[] = [];
  return {
    url,
    prefix,
    database,
    db: mongo.db(database),
    process: proc,
    violations,
    openapi,
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.key !== undefined) headers['authorization'] = `Bearer ${opts.key}`;
      let body: string | Buffer | undefined = opts.raw;
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${url}${path}`, { method, headers, body, signal: AbortSignal.timeout(30_000) });
      const text = await res.text();
      let parsed: unknown = text;
      if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
      const response = { status: res.status, headers: res.headers, body: parsed as never, text };
      for (const problem of openapi.check(method, path, response))
        violations.push(`${method} ${path} → ${res.status}: ${problem}`);
      return response;
    },
    async stop() {
      if (proc.alive()) await proc.terminate();
      await mongo.close();
      await dropTestDatabase(database, mongoUrl);
    },
  };
}
