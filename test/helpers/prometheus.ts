import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './service-process';

/** One answer of Prometheus' query API. */
export interface QueryAnswer {
  readonly status: 'success' | 'error';
  readonly error?: string;
  readonly data?: { resultType: string; result: unknown[] };
}

export async function promQuery(baseUrl: string, expr: string): Promise<QueryAnswer> {
  const res = await fetch(`${baseUrl}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query: expr }),
    signal: AbortSignal.timeout(10_000),
  });
  return (await res.json()) as QueryAnswer;
}

export const RULES_FILE = join(repoRoot, 'deploy', 'prometheus', 'longhaul-rules.yml');
export const RULE_TESTS_FILE = join(repoRoot, 'deploy', 'prometheus', 'tests', 'longhaul-rules.test.yml');
export const DASHBOARDS = ['longhaul-overview.json', 'longhaul-job-type.json'].map((f) =>
  join(repoRoot, 'deploy', 'grafana', 'dashboards', f),
);

export interface PanelQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly expr: string;
}

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}

/** Every query of every panel of a dashboard file (rows' nested panels too). */
export function panelQueries(file: string): PanelQuery[] {
  const dashboard = JSON.parse(readFileSync(file, 'utf8')) as { title: string; panels: Panel[] };
  const out: PanelQuery[] = [];
  const visit = (panels: Panel[]) => {
    for (const p of panels) {
      for (const t of p.targets ?? []) out.push({ dashboard: dashboard.title, panel: p.title, expr: t.expr });
      visit(p.panels ?? []);
    }
  };
  visit(dashboard.panels);
  return out;
}

/** A dashboard query with Grafana's variables replaced by what Grafana would send. */
export function substituteVariables(expr: string, values: Record<string, string>): string {
  return expr.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => values[name] ?? whole);
}

/**
 * The metric names an expression reads: identifiers of our families and of Node's process
 * metrics (label names, functions and keywords do not match these prefixes).
 */
export function metricNames(expr: string): string[] {
  return [...new Set(expr.match(/\b(?:longhaul|process|nodejs)_[a-z0-9_]+\b/g) ?? [])];
}

/**
 * The series names a Prometheus exposition declares (# TYPE lines): a histogram's _bucket,
 * _sum and _count, a summary's _sum and _count. prom-client declares a family even before its
 * first sample, so this lists what a service exports, exercised or not.
 */
export function exportedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const m of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, kind] = m as unknown as [string, string, string];
    names.add(name);
    if (kind === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
    if (kind === 'summary') for (const s of ['_sum', '_count']) names.add(name + s);
  }
  return names;
}
