import { LonghaulClient, type ClientOptions } from '@longhaul/client';
import type { IngressUnderTest } from './ingress';
import { adminKey, tenants } from './tenants';

export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly headers: Headers;
  readonly status: number;
  readonly at: number;
}

/**
 * An SDK client on a test ingress whose every answer is checked against the served OpenAPI
 * document (violations land in `api.violations`), and recorded with its request headers.
 */
export function sdkClient(
  api: IngressUnderTest,
  opts: Partial<ClientOptions> & { wrapBody?: (path: string, res: Response) => Response } = {},
) {
  const calls: RecordedCall[] = [];
  const checkedFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const method = init?.method ?? 'GET';
    const path = url.pathname + url.search;
    const res = await fetch(input, init);
    calls.push({ method, path, headers: new Headers(init?.headers), status: res.status, at: Date.now() });
    const type = res.headers.get('content-type') ?? '';
    if (!type.startsWith('text/event-stream')) {
      const text = await res.clone().text();
      const body: unknown = type.includes('json') && text !== '' ? JSON.parse(text) : text;
      for (const problem of api.openapi.check(method, path, { status: res.status, headers: res.headers, body }))
        api.violations.push(`${method} ${path} → ${res.status}: ${problem}`);
    }
    return opts.wrapBody ? opts.wrapBody(path, res) : res;
  };
  const client = new LonghaulClient({
    baseUrl: api.url,
    apiKey: tenants.acme.key,
    adminKey,
    ...opts,
    fetch: checkedFetch,
  });
  return { client, calls };
}
