import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
  /** How many requests with this webhook-id came before this one. */
  readonly previous: number;
  /** Answered 2xx to a sender still waiting (false while hanging, or when it gave up first). */
  accepted: boolean;
}

export interface Receiver {
  readonly url: string;
  readonly received: ReceivedWebhook[];
  /** Requests being answered now (a hanging receiver holds them). */
  open(): number;
  /** Change how it answers from now on. */
  answer(next: Answer): void;
  close(): Promise<void>;
}

/** How a receiver answers the `n`th request for a webhook-id (0 first): status, delay, headers. */
export type Answer = (n: number) => { status: number; delayMs?: number; headers?: Record<string, string> };

/**
 * A local webhook receiver. It listens on `host` (127.0.0.2 by default: the tests allow only that
 * address, so 127.0.0.1 stays a forbidden target) and records every request.
 */
export async function startReceiver(answer: Answer = () => ({ status: 204 }), host = '127.0.0.2'): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const seen = new Map<string, number>();
  const responses = new Set<ServerResponse>();
  let current = answer;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = String(req.headers['webhook-id'] ?? '');
      const n = seen.get(id) ?? 0;
      seen.set(id, n + 1);
      const entry: ReceivedWebhook = {
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
        previous: n,
        accepted: false,
      };
      received.push(entry);
      const { status, delayMs = 0, headers = {} } = current(n);
      responses.add(res);
      res.on('close', () => responses.delete(res));
      const reply = () => {
        if (res.destroyed) return;
        entry.accepted = status >= 200 && status < 300;
        res.writeHead(status, headers);
        res.end(status === 204 ? undefined : `answer ${status}`);
      };
      if (delayMs > 0) setTimeout(reply, delayMs).unref();
      else reply();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/hook`,
    received,
    open: () => responses.size,
    answer: (next) => {
      current = next;
    },
    async close() {
      for (const res of responses) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
