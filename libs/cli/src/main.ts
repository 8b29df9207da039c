/**
 * `longhaul`: the command line for the Longhaul API (docs/cli.md). Exits with the code of
 * exit-codes.ts; Ctrl-C aborts the running request or stream and exits 130.
 */
import { readFileSync } from 'node:fs';
import { runCli } from './run';

const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort(new Error('interrupted')));
process.once('SIGTERM', () => interrupt.abort(new Error('terminated')));

void runCli(
  process.argv.slice(2),
  {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    columns: process.stdout.columns ?? 0,
    env: process.env,
    readFile: (path) => readFileSync(path, 'utf8'),
  },
  interrupt.signal,
).then((code) => {
  process.exitCode = code;
});
