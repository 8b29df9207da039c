/**
 * The local stack behind `npm start` and `npm test` (reached through bootstrap.mjs, which
 * provides Node 24, the packages and the build).
 */
import { runBench } from './bench-command';
import { runRebuild } from './rebuild-command';
import { runStart } from './start-command';
import { syncChartFiles } from './chart-files';
import { layoutFor } from './layout';
import { runTest } from './test-command';

const command = process.argv[2];
const args = process.argv.slice(3);
const commands: Record<string, () => Promise<number>> = {
  start: runStart,
  test: () => runTest(args),
  bench: () => runBench(args),
  rebuild: () => runRebuild(args),
  // The long chaos run (1,000+ jobs, several faults of each kind): the chaos test file, in full.
  chaos: () => runTest(['test/integration/chaos.test.ts'], { LONGHAUL_CHAOS: 'full' }),
  'sync-chart': () => {
    const n = syncChartFiles(layoutFor('dev', process.env).root);
    process.stderr.write(`longhaul | copied ${n} rule and dashboard files into helm/longhaul/files\n`);
    return Promise.resolve(0);
  },
};
const run = command === undefined ? undefined : commands[command];
if (!run) {
  process.stderr.write('usage: cli.js start|test|bench <name>|rebuild|chaos|sync-chart\n');
  process.exit(2);
}
run().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`longhaul | error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
