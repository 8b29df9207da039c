import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChaos, type ChaosOptions } from '../chaos/chaos';
import { repoRoot } from '../helpers/service-process';
import { testStack } from '../helpers/stack';

/**
 * In `npm test`: the short run (150 jobs, one fault of each kind, about 5 minutes).
 * `npm run chaos` runs this file with LONGHAUL_CHAOS=full: 1,000 jobs, three faults of each kind.
 */
const full = process.env['LONGHAUL_CHAOS'] === 'full';
const options: Omit<ChaosOptions, 'log'> = full
  ? { jobs: 1_000, windowMs: 300_000, faultsPerKind: 3, partitions: 6, maxProcessors: 5, lagThreshold: 8 }
  : { jobs: 150, windowMs: 70_000, faultsPerKind: 1, partitions: 4, maxProcessors: 4, lagThreshold: 8 };

describe(`chaos (${full ? 'full' : 'short'} run)`, () => {
  it(
    'every invariant holds while processes are killed and scaled, the broker and the database restart, and a receiver fails',
    { timeout: full ? 1_800_000 : 480_000 },
    async () => {
      const report = await runChaos({
        ...options,
        log: (line) => process.stdout.write(`chaos | ${new Date().toISOString().slice(11, 23)} ${line}\n`),
      });
      const file = full
        ? join(repoRoot, 'bench', 'results', `chaos-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
        : join(testStack().dataDir, 'chaos-report.json');
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
      process.stdout.write(
        `chaos | report (${file}):\n${JSON.stringify(
          {
            ...report,
            crashes: report.crashes.length,
            uncleanStops: report.uncleanStops.length,
          },
          null,
          2,
        )}\n`,
      );

      expect(report.violations, report.violations.join('\n')).toEqual([]);
      // The mix, plus a report the processor kill may add to be sure to interrupt one.
      expect(report.jobs.accepted).toBeGreaterThanOrEqual(options.jobs);
      for (const kind of [
        'kill -9 processor',
        'kill -9 projector',
        'kill -9 notifier',
        'restart Kafka',
        'restart database',
        'webhook receiver fail/hang/recover',
      ]) {
        expect(report.faults[kind], kind).toBeGreaterThanOrEqual(options.faultsPerKind);
      }
      expect(report.faults['scale-out'], 'KEDA-driven scale-out').toBeGreaterThanOrEqual(1);
      expect(report.faults['scale-in (SIGTERM)'], 'KEDA-driven scale-in').toBeGreaterThanOrEqual(1);
      expect(report.tally.interruptedReports, 'reports interrupted and resumed').toBeGreaterThanOrEqual(1);
    },
  );
});
