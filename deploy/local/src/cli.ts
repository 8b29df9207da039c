/**
 * The local stack behind `npm start` and `npm test` (reached through bootstrap.mjs, which
 * provides Node 24, the packages and the build).
 */
import { runStart } from './start-command';
import { runTest } from './test-command';

const command = process.argv[2];
const run = command === 'start' ? runStart : command === 'test' ? () => runTest(process.argv.slice(3)) : undefined;
if (!run) {
  process.stderr.write('usage: cli.js start|test\n');
  process.exit(2);
}
run().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`longhaul | error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
