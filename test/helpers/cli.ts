import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './service-process';
import { testStack } from './stack';

export interface CliRun {
  readonly code: number;
  /** In a terminal: everything the terminal showed (stdout and stderr, \n as \r\n). */
  readonly stdout: string;
  readonly stderr: string;
}

const cliEntry = () => join(repoRoot, 'libs', 'cli', 'bin', 'longhaul.cjs');
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Run the built `longhaul` command. With `tty`, inside a pseudo-terminal made by `script`
 * (util-linux, on every Linux machine), 120 columns wide, so the CLI sees a real terminal.
 */
export function runLonghaul(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  opts: { tty?: boolean; timeoutMs?: number; stdin?: string } = {},
): Promise<CliRun> {
  const node = testStack().node;
  const command = opts.tty
    ? ([
        'script',
        ['-qefc', `stty cols 120 rows 40; exec ${[node, cliEntry(), ...args].map(quote).join(' ')}`, '/dev/null'],
      ] as const)
    : ([node, [cliEntry(), ...args]] as const);
  const child = spawn(command[0], [...command[1]], {
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env },
    stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr });
    });
  });
}
