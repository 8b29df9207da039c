import { createServer } from 'node:net';

/** A port the OS just handed out on 127.0.0.1 and released, for a process a test starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether `port` can be bound on 127.0.0.1 right now. */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * The first port of `size` consecutive free ports above Linux's ephemeral range (32768–60999),
 * where no outgoing connection can take one between this check and the process binding it —
 * for a stack that derives ports from a base (its ops ports are base + n).
 */
export async function freePortBlock(size: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 61_000 + Math.floor(Math.random() * (65_000 - 61_000 - size));
    const free = await Promise.all(Array.from({ length: size }, (_, i) => canBind(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error(`no ${size} consecutive free ports above 61000`);
}
