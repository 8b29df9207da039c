import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, type } from 'node:os';
import { join } from 'node:path';

/** Where the stack the bench command started is. */
export function benchEnv() {
  const get = (name: string) => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set: run benchmarks with \`npm run bench:<name>\``);
    return v;
  };
  return {
    apiUrl: get('LONGHAUL_BENCH_API_URL'),
    apiKey: get('LONGHAUL_BENCH_API_KEY'),
    kafkaBrokers: get('LONGHAUL_BENCH_KAFKA_BROKERS').split(','),
    schemaRegistryUrl: get('LONGHAUL_BENCH_SCHEMA_REGISTRY_URL'),
    resultsDir: get('LONGHAUL_BENCH_RESULTS_DIR'),
    seconds: Number(process.env['LONGHAUL_BENCH_SECONDS'] ?? '5'),
    repeats: Number(process.env['LONGHAUL_BENCH_REPEATS'] ?? '3'),
  };
}

export function machine() {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: type(),
    node: process.version,
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Write `bench/results/<name>-<timestamp>.json` and return its path. */
export function writeResults(dir: string, name: string, data: object): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ benchmark: name, at: new Date().toISOString(), machine: machine(), ...data }, null, 2)}\n`,
  );
  return file;
}

/** A numeric benchmark setting from the environment (non-negative), or its default. */
export function numberSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return n;
}

/** Nearest-rank percentile of sorted values (NaN for none). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Run a benchmark's main: exit 0 when it resolves, 1 (with the error) when it fails. */
export function runMain(name: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(
        `bench:${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exit(1);
    },
  );
}
