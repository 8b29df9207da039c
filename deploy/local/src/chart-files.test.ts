import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartFileCopies } from './chart-files';

const root = resolve(__dirname, '..', '..', '..');

describe("the chart's copies of the rules and dashboards", () => {
  it('are byte for byte their sources in deploy/ (npm run sync:chart)', () => {
    const copies = chartFileCopies(root);
    expect(copies.length).toBeGreaterThanOrEqual(3);
    for (const { source, copy } of copies) {
      expect(readFileSync(copy, 'utf8'), `${copy} is stale: run npm run sync:chart`).toBe(readFileSync(source, 'utf8'));
    }
  });

  it('the chart holds no dashboard that deploy/grafana no longer has', () => {
    const chartDashboards = readdirSync(join(root, 'helm', 'longhaul', 'files', 'dashboards'));
    const sources = readdirSync(join(root, 'deploy', 'grafana', 'dashboards')).filter((f) => f.endsWith('.json'));
    expect(chartDashboards.sort()).toEqual(sources.sort());
  });
});
