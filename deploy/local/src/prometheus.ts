import { readdirSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLogged } from './exec';
import { once } from './install';
import { httpProbe } from './probes';
import type { ProcessSpec } from './supervisor';

/**
 * Prometheus and promtool from Debian's `prometheus` package (the machines reach Debian's
 * archive, not GitHub releases): `apt-get download` fetches the .deb without installing it,
 * `dpkg -x` unpacks it, and only the two binaries are kept. The archive serves one version per
 * release (bookworm: 2.42), so the package is not pinned to an exact revision.
 */
export interface PrometheusBinaries {
  readonly prometheus: string;
  readonly promtool: string;
}

export const PROMETHEUS_PACKAGE = 'prometheus';

export async function installPrometheus(cacheDir: string, say: (m: string) => void): Promise<PrometheusBinaries> {
  const target = join(cacheDir, 'prometheus-debian');
  await once(target, say, "Prometheus (Debian's package)", async (tmp) => {
    const logFile = join(cacheDir, 'logs', 'install-prometheus.log');
    const download = () => runLogged('apt-get', ['download', PROMETHEUS_PACKAGE], { cwd: tmp, logFile });
    // A new machine may have no package lists yet.
    await download().catch(async () => {
      await runLogged('apt-get', ['update'], { cwd: tmp, logFile });
      await download();
    });
    const deb = readdirSync(tmp).find((f) => f.startsWith(`${PROMETHEUS_PACKAGE}_`) && f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download left no ${PROMETHEUS_PACKAGE} package; see ${logFile}`);
    const unpacked = join(tmp, 'unpacked');
    await runLogged('dpkg', ['-x', join(tmp, deb), unpacked], { logFile });
    for (const bin of ['prometheus', 'promtool']) renameSync(join(unpacked, 'usr', 'bin', bin), join(tmp, bin));
    await runLogged('rm', ['-rf', unpacked, join(tmp, deb)], { logFile });
  });
  return { prometheus: join(target, 'prometheus'), promtool: join(target, 'promtool') };
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
