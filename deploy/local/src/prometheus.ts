import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installDebianPackages } from './debian';
import { httpProbe } from './probes';
import type { ProcessSpec } from './supervisor';

/**
 * Prometheus and promtool from Debian's `prometheus` package (the machines reach Debian's
 * archive, not GitHub releases; bookworm serves 2.42).
 */
export interface PrometheusBinaries {
  readonly prometheus: string;
  readonly promtool: string;
}

export async function installPrometheus(cacheDir: string, say: (m: string) => void): Promise<PrometheusBinaries> {
  const root = await installDebianPackages(cacheDir, say, { name: 'prometheus', packages: ['prometheus'] });
  return { prometheus: join(root, 'usr', 'bin', 'prometheus'), promtool: join(root, 'usr', 'bin', 'promtool') };
}

export interface ScrapeTarget {
  /** The `job` label Prometheus gives its series. */
  readonly job: string;
  /** host:port serving /metrics. */
  readonly address: string;
}

/** A Prometheus configuration: the targets, and rule files evaluated against them. */
export function prometheusConfig(opts: {
  targets: readonly ScrapeTarget[];
  ruleFiles: readonly string[];
  intervalSeconds: number;
}): string {
  const interval = `${opts.intervalSeconds}s`;
  const lines = [
    'global:',
    `  scrape_interval: ${interval}`,
    `  evaluation_interval: ${interval}`,
    'rule_files:',
    ...opts.ruleFiles.map((f) => `  - ${JSON.stringify(f)}`),
    'scrape_configs:',
  ];
  const jobs = [...new Set(opts.targets.map((t) => t.job))];
  for (const job of jobs) {
    lines.push(`  - job_name: ${JSON.stringify(job)}`, '    static_configs:', '      - targets:');
    for (const t of opts.targets.filter((x) => x.job === job)) lines.push(`          - ${JSON.stringify(t.address)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Prometheus on 127.0.0.1:`port`, its data and configuration under `dataDir`/prometheus. */
export function prometheusSpec(opts: {
  binaries: PrometheusBinaries;
  dataDir: string;
  port: number;
  config: string;
}): ProcessSpec {
  const dir = join(opts.dataDir, 'prometheus');
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, opts.config);
  return {
    name: 'prometheus',
    command: opts.binaries.prometheus,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      '--storage.tsdb.retention.time=2d',
      `--web.listen-address=127.0.0.1:${opts.port}`,
      '--log.level=warn',
    ],
    ready: httpProbe(`http://127.0.0.1:${opts.port}/-/ready`),
    readyTimeoutMs: 30_000,
    restart: false,
    stopTimeoutMs: 10_000,
  };
}
