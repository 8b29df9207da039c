import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { endpointsFor } from './infrastructure';
import { layoutFor } from './layout';
import { portsFor } from './ports';
import { infrastructureEnv } from './services';

/**
 * `npm run rebuild:read-model [-- --keep-previous]`: run the projector's rebuild command
 * (services/projector/src/rebuild.ts) against the stack `npm start` is running, with the
 * settings its services have. Signals go to the command, which gives the read model back
 * unchanged when interrupted before the switch.
 */
export function runRebuild(args: readonly string[]): Promise<number> {
  const env = process.env;
  const layout = layoutFor('dev', env);
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=TimeoutNegativeWarning',
      join(layout.root, 'services', 'projector', 'dist', 'rebuild.js'),
      ...args,
    ],
    {
      cwd: layout.root,
      stdio: 'inherit',
      env: {
        ...env,
        ...infrastructureEnv(endpointsFor(portsFor('dev', env))),
        LONGHAUL_INSTANCE_ID: 'rebuild',
        LONGHAUL_LOG_LEVEL: env['LONGHAUL_LOG_LEVEL'] ?? 'warn',
      },
    },
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}
