import { LonghaulClient } from '@longhaul/client';
import type { Command } from 'commander';
import { UsageError } from './exit-codes';
import type { Io } from './io';
import { resolveConnection, type GlobalOptions } from './settings';

/** What a command needs: its output, its client (made on first use), and the run's abort signal. */
export interface CommandContext {
  readonly io: Io;
  readonly signal: AbortSignal;
  json(cmd: Command): boolean;
  /** A client with the tenant key (`admin`: with the admin key); a usage error when the key is missing. */
  client(cmd: Command, as?: 'tenant' | 'admin'): LonghaulClient;
}

export function createContext(
  io: Io,
  signal: AbortSignal,
  makeClient = (o: ConstructorParameters<typeof LonghaulClient>[0]) => new LonghaulClient(o),
): CommandContext {
  return {
    io,
    signal,
    json: (cmd) => cmd.optsWithGlobals<GlobalOptions>().json ?? false,
    client(cmd, as = 'tenant') {
      const conn = resolveConnection(cmd.optsWithGlobals<GlobalOptions>(), io.env);
      const key = as === 'admin' ? conn.adminKey : conn.apiKey;
      if (key === undefined) {
        throw new UsageError(
          as === 'admin'
            ? 'no admin key: pass --admin-key or set LONGHAUL_ADMIN_KEY'
            : 'no API key: pass --key or set LONGHAUL_API_KEY',
        );
      }
      return makeClient({ baseUrl: conn.baseUrl, apiKey: key, adminKey: key, userAgent: 'longhaul-cli' });
    },
  };
}
