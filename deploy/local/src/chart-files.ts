import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The chart ships the alert rules and dashboards, whose one source is deploy/prometheus and
 * deploy/grafana; Helm reads nothing outside the chart's folder, so they are copied into
 * helm/longhaul/files (docs/kubernetes.md: why copies, not symlinks). `npm run sync:chart`
 * copies them; a unit test fails while a copy differs.
 */
export function chartFileCopies(root: string): { source: string; copy: string }[] {
  const files = join(root, 'helm', 'longhaul', 'files');
  const dashboards = join(root, 'deploy', 'grafana', 'dashboards');
  return [
    { source: join(root, 'deploy', 'prometheus', 'longhaul-rules.yml'), copy: join(files, 'longhaul-rules.yml') },
    ...readdirSync(dashboards)
      .filter((f) => f.endsWith('.json'))
      .map((f) => ({ source: join(dashboards, f), copy: join(files, 'dashboards', f) })),
  ];
}

export function syncChartFiles(root: string): number {
  const copies = chartFileCopies(root);
  for (const { source, copy } of copies) copyFileSync(source, copy);
  return copies.length;
}
