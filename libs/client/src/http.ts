import { LonghaulError, LonghaulNetworkError, type ProblemDetails } from './errors';
import { retryAfterMs } from './retry-after';

export interface TransportOptions {
  /** Where the API is, e.g. `https://jobs.example.com` (a path prefix is kept). */
  readonly baseUrl: string;
  /** The Bearer key sent with every call (a tenant key; an admin key for the admin calls). */
  readonly apiKey?: string;
  /** Per call, unless the call's own signal ends it first (default 30 s; streams have none). */
  readonly timeoutMs?: number;
  /** Another fetch (tests, proxies); the global one by default. */
  readonly fetch?: typeof fetch;
  readonly userAgent?: string;
}

export type Query = Readonly<Record<string, string | number | boolean | undefined | null>>;

export interface CallOptions {
  readonly query?: Query;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** Another key for this call (the admin key). */
  readonly apiKey?: string;
}

export interface HttpResult<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface Transport {
  call<T>(method: string, path: string, opts?: CallOptions): Promise<HttpResult<T>>;
  /** A streaming GET (server-sent events): the response once it is 200, else the error it answered. */
  stream(path: string, opts?: Omit<CallOptions, 'body' | 'query'>): Promise<Response>;
}

/** Encode one path segment (ids come from users; never let them change the route). */
export const seg = (value: string): string => encodeURIComponent(value);

function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.set(name, String(value));
  }
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

async function problemOf(res: Response, method: string, path: string): Promise<LonghaulError> {
  const text = await res.text().catch(() => '');
  let problem: ProblemDetails | undefined;
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    try {
      const parsed = JSON.parse(text) as Partial<ProblemDetails>;
      if (typeof parsed.title === 'string' || typeof parsed.type === 'string') {
        problem = {
          ...parsed,
          type: parsed.type ?? 'about:blank',
          title: parsed.title ?? res.statusText,
          status: res.status,
        };
      }
    } catch {
      // not JSON after all: described below from the status
    }
  }
  problem ??= {
    type: 'about:blank',
    title: res.statusText || `HTTP ${res.status}`,
    status: res.status,
    ...(text.trim() === '' ? {} : { detail: text.trim().slice(0, 300) }),
  };
  return new LonghaulError(problem, { method, path }, retryAfterMs(res.headers.get('retry-after')));
}

export function createTransport(opts: TransportOptions): Transport {
  const base = opts.baseUrl.replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(base)) throw new TypeError(`the API URL must be http(s)://…, not "${opts.baseUrl}"`);
  const doFetch = opts.fetch ?? globalThis.fetch;
  const timeoutMs = opts.timeoutMs ?? 30_000;

  function headersFor(call: Omit<CallOptions, 'query'>, accept: string): Record<string, string> {
    const headers: Record<string, string> = { accept, ...call.headers };
    const key = call.apiKey ?? opts.apiKey;
    if (key !== undefined) headers['authorization'] = `Bearer ${key}`;
    if (opts.userAgent !== undefined) headers['user-agent'] = opts.userAgent;
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    return headers;
  }

  async function send(method: string, path: string, init: RequestInit, timed: boolean): Promise<Response> {
    const url = `${base}${path}`;
    const deadline = timed ? AbortSignal.timeout(timeoutMs) : undefined;
    const signals = [init.signal, deadline].filter((s): s is AbortSignal => s !== undefined && s !== null);
    try {
      return await doFetch(url, { ...init, method, signal: signals.length > 0 ? AbortSignal.any(signals) : null });
    } catch (err) {
      // The caller's own abort stays an AbortError; everything else means "could not talk to the API".
      if (init.signal?.aborted) throw err;
      throw new LonghaulNetworkError(method, url, deadline?.aborted ?? false, err);
    }
  }

  return {
    async call<T>(method: string, path: string, call: CallOptions = {}) {
      const full = withQuery(path, call.query);
      const res = await send(
        method,
        full,
        {
          headers: headersFor(call, 'application/json, application/problem+json'),
          body: call.body === undefined ? null : JSON.stringify(call.body),
          signal: call.signal ?? null,
        },
        true,
      );
      if (res.status >= 400) throw await problemOf(res, method, full);
      let text: string;
      try {
        text = await res.text();
      } catch (err) {
        if (call.signal?.aborted) throw err;
        throw new LonghaulNetworkError(method, `${base}${full}`, false, err);
      }
      const body =
        text !== '' && (res.headers.get('content-type') ?? '').includes('json')
          ? (JSON.parse(text) as T)
          : (undefined as T);
      return { status: res.status, headers: res.headers, body };
    },

    async stream(path, call = {}) {
      const res = await send(
        'GET',
        path,
        { headers: headersFor(call, 'text/event-stream'), signal: call.signal ?? null },
        false,
      );
      if (res.status !== 200) {
        const err = await problemOf(res, 'GET', path);
        throw err;
      }
      return res;
    },
  };
}
