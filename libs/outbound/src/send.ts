import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkAddress, checkWebhookUrl, type OutboundRules } from './webhook-url';

/** What one delivery attempt came to, and what to do next. */
export type DeliveryOutcome =
  /** 2xx. */
  | 'delivered'
  /** Timeout, network error, 5xx or 429: try again later (`retryAfterMs` when the receiver said). */
  | 'retry'
  /** 410: the receiver wants no more; disable the subscription. */
  | 'gone'
  /** Any other answer (3xx — redirects are not followed — and 4xx), or a forbidden target: final. */
  | 'failed';

export interface DeliveryResult {
  readonly outcome: DeliveryOutcome;
  readonly status: number | null;
  readonly latencyMs: number;
  /** Why it did not succeed, for the delivery record (never a secret: no headers are echoed). */
  readonly error: string | null;
  /** The first bytes of the response body, as text. */
  readonly responseSnippet: string;
  readonly retryAfterMs: number | null;
}

export interface SendOptions {
  readonly rules: OutboundRules;
  readonly timeoutMs: number;
  /** Response bytes read at most (the rest is dropped and the connection closed). */
  readonly maxResponseBytes?: number;
  /** Resolve a host name (tests give their own; DNS by default). */
  readonly resolve?: (host: string) => Promise<LookupAddress[]>;
  /** The keep-alive agents, one per origin (see `createAgents`). */
  readonly agents?: Agents;
}

const SNIPPET_BYTES = 1_024;
const defaultResolve = (host: string) =>
  new Promise<LookupAddress[]>((resolve, reject) =>
    dnsLookup(host, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

/** Keep-alive connections per origin, each bounded (a slow receiver holds only its own sockets). */
export function createAgents(opts: { maxSocketsPerOrigin: number }) {
  const agents = new Map<string, http.Agent>();
  return {
    for(url: URL): http.Agent {
      let agent = agents.get(url.origin);
      if (!agent) {
        const o = {
          keepAlive: true,
          maxSockets: opts.maxSocketsPerOrigin,
          // Every socket a busy endpoint uses stays open for the next delivery.
          maxFreeSockets: opts.maxSocketsPerOrigin,
          timeout: 60_000,
        };
        agent = url.protocol === 'https:' ? new https.Agent(o) : new http.Agent(o);
        agents.set(url.origin, agent);
      }
      return agent;
    },
    destroy() {
      for (const a of agents.values()) a.destroy();
      agents.clear();
    },
  };
}
export type Agents = ReturnType<typeof createAgents>;

/** Seconds or an HTTP date, as `Retry-After` allows; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d{1,7}$/.test(value.trim())) return Number(value.trim()) * 1_000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * POST one webhook. The URL is checked by the outbound rules, and so is the address actually
 * connected to: the connection resolves the host through a lookup that refuses any address the
 * rules forbid, so a name that resolves (or re-resolves, DNS rebinding) to a private or metadata
 * address is never reached. Redirects are not followed; the response is read up to a cap.
 */
export async function sendWebhook(
  target: string,
  request: { headers: Record<string, string>; body: string },
  opts: SendOptions,
): Promise<DeliveryResult> {
  const started = Date.now();
  const result = (r: Partial<DeliveryResult> & { outcome: DeliveryOutcome }): DeliveryResult => ({
    status: null,
    error: null,
    responseSnippet: '',
    retryAfterMs: null,
    latencyMs: Date.now() - started,
    ...r,
  });
  const checked = checkWebhookUrl(target, opts.rules);
  if (!checked.ok) return result({ outcome: 'failed', error: `forbidden target: ${checked.reason}` });
  const url = checked.url;
  const resolve = opts.resolve ?? defaultResolve;
  let refused: string | null = null;
  const lookup: LookupFunction = (host, options, callback) => {
    resolve(host).then(
      (addresses) => {
        const problems = addresses.map((a) => checkAddress(a.address, opts.rules)).filter((p) => p !== undefined);
        if (addresses.length === 0 || problems.length > 0) {
          refused = problems[0] ?? `${host} has no address`;
          return callback(new Error(refused), '', 4);
        }
        const chosen = addresses[0]!;
        if ((options as { all?: boolean }).all)
          return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
        callback(null, chosen.address, chosen.family);
      },
      (err: Error) => callback(err as NodeJS.ErrnoException, '', 4),
    );
  };
  const body = Buffer.from(request.body);
  const maxBytes = opts.maxResponseBytes ?? 64 * 1024;
  return new Promise<DeliveryResult>((done) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(body.length),
          'user-agent': 'Longhaul-Webhooks/1',
          ...request.headers,
        },
        lookup,
        agent: opts.agents?.for(url) ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          if (read < maxBytes) chunks.push(chunk.subarray(0, maxBytes - read));
          read += chunk.length;
          if (read >= maxBytes) res.destroy();
        });
        const finish = () => {
          clearTimeout(deadline);
          const status = res.statusCode ?? 0;
          const snippet = Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString('utf8');
          const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
          if (status >= 200 && status < 300)
            return done(result({ outcome: 'delivered', status, responseSnippet: snippet }));
          const outcome: DeliveryOutcome =
            status === 410 ? 'gone' : status === 429 || status >= 500 ? 'retry' : 'failed';
          done(
            result({
              outcome,
              status,
              responseSnippet: snippet,
              retryAfterMs: status === 429 || status === 503 ? retryAfterMs : null,
              error: status >= 300 && status < 400 ? `redirect (${status}) not followed` : `answered ${status}`,
            }),
          );
        };
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
      },
    );
    // The whole attempt, not only idle time, is bounded.
    const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    let settled = false;
    req.on('error', (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (refused) return done(result({ outcome: 'failed', error: `forbidden target: ${refused}` }));
      done(result({ outcome: 'retry', error: err.message }));
    });
    req.on('response', () => (settled = true));
    req.end(body);
  });
}
