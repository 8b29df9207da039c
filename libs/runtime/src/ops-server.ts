import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Metrics } from '@longhaul/telemetry';
import type { Readiness } from './readiness';

export type OpsHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * The operational endpoints every service serves: /healthz (the process is alive and its
 * event loop answers), /readyz (its dependencies and consumers are really ready), /metrics.
 * Returns false for any other path so an API server can mount it in front of its routes.
 */
export function createOpsHandler(deps: { metrics: Metrics; readiness: Readiness }): OpsHandler {
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '/').split('?')[0];
    switch (path) {
      case '/healthz':
        send(res, 200, 'application/json', JSON.stringify({ status: 'ok' }));
        return true;
      case '/readyz': {
        const { ready, checks } = await deps.readiness.evaluate();
        send(
          res,
          ready ? 200 : 503,
          'application/json',
          JSON.stringify({ status: ready ? 'ready' : 'not ready', checks }),
        );
        return true;
      }
      case '/metrics':
        send(res, 200, deps.metrics.contentType, await deps.metrics.render());
        return true;
      default:
        return false;
    }
  };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

/** A plain HTTP server for services that have no API of their own. */
export async function startOpsServer(opts: { host: string; port: number; handler: OpsHandler }): Promise<Server> {
  const server = createServer((req, res) => {
    opts.handler(req, res).then(
      (handled) => {
        if (!handled) send(res, 404, 'application/json', JSON.stringify({ status: 404, title: 'Not Found' }));
      },
      () => {
        if (!res.headersSent)
          send(res, 500, 'application/json', JSON.stringify({ status: 500, title: 'Internal Server Error' }));
        else res.destroy();
      },
    );
  });
  server.keepAliveTimeout = 5_000;
  await listen(server, opts.host, opts.port);
  return server;
}

/** Listen, turning EADDRINUSE into an error that names the port. */
export function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${host}:${port} is already in use`) : err);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

export function closeServer(server: Server, opts: { forceAfterMs?: number } = {}): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // Probes and scrapes may hold keep-alive connections with a request in flight; past the
    // grace they are cut, so a shutdown never waits on a load balancer's connection.
    if (opts.forceAfterMs !== undefined) setTimeout(() => server.closeAllConnections(), opts.forceAfterMs).unref();
  });
}
