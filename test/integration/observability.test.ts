import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPrometheusComponent, type Component } from '@longhaul/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngress, type IngressUnderTest } from '../helpers/ingress';
import { startProcessor } from '../helpers/processors';
import { startProjector } from '../helpers/projector';
import {
  DASHBOARDS,
  exportedNames,
  metricNames,
  panelQueries,
  promQuery,
  RULES_FILE,
  substituteVariables,
} from '../helpers/prometheus';
import { startReceiver, type Receiver } from '../helpers/receivers';
import { repoRoot, startWorker, type WorkerUnderTest } from '../helpers/service-process';
import { testStack, uniqueName } from '../helpers/stack';
import { tenants } from '../helpers/tenants';
import { waitFor } from '../helpers/wait';

const outbound = { LONGHAUL_WEBHOOK_ALLOW_HTTP: 'true', LONGHAUL_WEBHOOK_ALLOW_CIDRS: '127.0.0.2/32' };
const acme = tenants.acme.key;

/**
 * Metrics the small load does not exercise, each with why; a query reading only these may come
 * back empty. Everything else a dashboard or an alert reads must have data.
 */
const QUIET: Record<string, string> = {
  longhaul_processor_takeovers_total: 'no processor dies during the load',
  longhaul_processor_jobs_parked_total: 'no job type is paused',
  longhaul_kafka_producer_errors_total: 'Kafka stays up',
  longhaul_kafka_consumer_errors_total: 'Kafka stays up',
  longhaul_webhook_dead_letters_total: 'a delivery dead-letters only after hours of retries',
  longhaul_projector_events_ignored_total: 'nothing is redelivered, so no duplicate or stale event arrives',
};

/** What Grafana sends for the dashboards' variables. */
const VARIABLES = { __rate_interval: '30s', type: '.*', lag_threshold: '16', datasource: 'prometheus' };

interface Rule {
  name: string;
  query: string;
  health: string;
  lastError?: string;
  annotations: Record<string, string>;
}

describe('observability: a real Prometheus scrapes the stack; every dashboard query and alert works against it', () => {
  let api: IngressUnderTest;
  let prometheus: Component;
  const workers: WorkerUnderTest[] = [];
  const receivers: Receiver[] = [];
  let exported = new Set<string>();

  beforeAll(async () => {
    api = await startIngress({ ...outbound, LONGHAUL_METRICS_TENANTS: 'acme' });
    workers.push(await startProjector(api), await startProcessor(api));
    workers.push(
      await startWorker('notifier', {
        prefix: api.prefix,
        database: api.database,
        name: uniqueName('notifier'),
        extra: { ...outbound, LONGHAUL_WEBHOOK_RETRY_SCHEDULE: '0, 200ms, 200ms, 1h' },
      }),
    );
    const stack = testStack();
    prometheus = await startPrometheusComponent(join(stack.dataDir, uniqueName('prometheus')), stack.cacheDir, {
      targets: [
        { job: 'ingress', address: new URL(api.url).host },
        ...workers.map((w) => ({ job: w.name, address: new URL(w.opsUrl).host })),
      ],
      ruleFiles: [RULES_FILE],
      intervalSeconds: 1,
    });
    receivers.push(await startReceiver(), await startReceiver(() => ({ status: 500 })));
  }, 180_000);

  afterAll(async () => {
    await prometheus?.stop();
    await Promise.all(receivers.map((r) => r.close()));
    await Promise.all(workers.filter((w) => w.alive()).map((w) => w.terminate()));
    await api?.stop();
  });

  const submit = async (type: string, payload: unknown, extra: Record<string, unknown> = {}) => {
    const res = await api.call<{ id: string }>('POST', '/v1/jobs', { key: acme, body: { type, payload, ...extra } });
    expect(res.status, res.text).toBe(202);
    return res.body.id;
  };
  const status = async (id: string) =>
    (await api.call<{ status: string }>('GET', `/v1/jobs/${id}`, { key: acme })).body.status;

  it('runs a small mixed load: successes, retries, failures, a cancellation, webhooks that work and fail', async () => {
    const [ok, failing] = receivers as [Receiver, Receiver];
    const finished: string[] = [];
    for (let i = 0; i < 8; i++) finished.push(await submit('sleep', { ms: 50 }, { webhook: { url: ok.url } }));
    finished.push(await submit('report.generate', { steps: 3, stepMs: 100 }, { webhook: { url: failing.url } }));
    finished.push(await submit('flaky', { failTimes: 1, ms: 10 }));
    finished.push(await submit('fail', { message: 'on purpose' }, { options: { maxAttempts: 1 } }));
    const long = await submit('sleep', { ms: 60_000 });
    await waitFor('the long job to start', async () => (await status(long)) === 'running', { timeoutMs: 30_000 });
    expect((await api.call('POST', `/v1/jobs/${long}/cancel`, { key: acme })).status).toBe(202);
    finished.push(long);
    // Errors the API counts: a missing job, a wrong key.
    expect((await api.call('GET', '/v1/jobs/01J0000000000000000000000Z', { key: acme })).status).toBe(404);
    expect((await api.call('GET', '/v1/jobs', { key: 'wrong' })).status).toBe(401);

    const final = new Set(['succeeded', 'failed', 'cancelled']);
    await waitFor(
      'every job to finish',
      async () => (await Promise.all(finished.map(status))).every((s) => final.has(s)),
      {
        timeoutMs: 60_000,
        intervalMs: 500,
      },
    );
    await waitFor('the failing receiver to be tried again', () => failing.received.length >= 2, { timeoutMs: 30_000 });
    // Every target up, and a few scrapes after the load so rates over 30 s have two points.
    const targets = 1 + workers.length;
    await waitFor('Prometheus to scrape every service', async () => {
      const up = await promQuery(prometheus.endpoint, 'sum(up)');
      return Number((up.data?.result[0] as { value?: [number, string] } | undefined)?.value?.[1]) === targets;
    });
    await new Promise((r) => setTimeout(r, 5_000));

    const expositions = await Promise.all(
      [`${api.url}/metrics`, ...workers.map((w) => `${w.opsUrl}/metrics`)].map(async (u) => (await fetch(u)).text()),
    );
    exported = new Set(expositions.flatMap((e) => [...exportedNames(e)]));
    expect(exported.has('longhaul_kafka_consumer_group_lag_messages')).toBe(true);
  }, 150_000);

  it('every dashboard query parses, names only exported metrics, and returns data unless it reads only quiet metrics', async () => {
    const queries = DASHBOARDS.flatMap(panelQueries);
    expect(queries.length).toBeGreaterThan(30);
    const problems: string[] = [];
    for (const q of queries) {
      const where = `${q.dashboard} / ${q.panel}: ${q.expr}`;
      const unknown = metricNames(q.expr).filter((m) => !exported.has(m));
      if (unknown.length > 0) problems.push(`${where}\n  names metrics no service exports: ${unknown.join(', ')}`);
      const answer = await promQuery(prometheus.endpoint, substituteVariables(q.expr, VARIABLES));
      if (answer.status !== 'success') {
        problems.push(`${where}\n  does not evaluate: ${answer.error}`);
        continue;
      }
      const quiet = metricNames(q.expr).some((m) => m in QUIET);
      if ((answer.data?.result.length ?? 0) === 0 && !quiet) problems.push(`${where}\n  returned no data`);
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('every alert rule loads and evaluates without error, reads only exported metrics that have data, and links its runbook', async () => {
    const res = await fetch(`${prometheus.endpoint}/api/v1/rules?type=alert`);
    const body = (await res.json()) as { data: { groups: { rules: Rule[] }[] } };
    const rules = body.data.groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.name).sort()).toEqual(
      [
        'LonghaulIngress5xxRatioHigh',
        'LonghaulIngressLatencyHigh',
        'LonghaulJobDeadLettersGrowing',
        'LonghaulJobFailureRatioHigh',
        'LonghaulNoProcessorConsuming',
        'LonghaulProcessorLagHigh',
        'LonghaulProjectionLagHigh',
        'LonghaulWebhookDeadLettersGrowing',
        'LonghaulWebhookFailureRatioHigh',
      ].sort(),
    );
    const runbook = readFileSync(join(repoRoot, 'docs', 'operations.md'), 'utf8');
    const anchors = new Set([...runbook.matchAll(/^#+ (.+)$/gm)].map((m) => githubAnchor(m[1]!)));
    const problems: string[] = [];
    for (const rule of rules) {
      if (rule.health !== 'ok') problems.push(`${rule.name}: health ${rule.health} ${rule.lastError ?? ''}`);
      for (const key of ['summary', 'description', 'runbook_url']) {
        if (!rule.annotations[key]) problems.push(`${rule.name}: no ${key}`);
      }
      const [file, anchor] = (rule.annotations['runbook_url'] ?? '').split('#');
      if (file !== 'docs/operations.md' || !anchor || !anchors.has(anchor)) {
        problems.push(
          `${rule.name}: runbook ${rule.annotations['runbook_url']} is not a section of docs/operations.md`,
        );
      }
      for (const metric of metricNames(rule.query)) {
        if (!exported.has(metric)) {
          problems.push(`${rule.name}: reads ${metric}, which no service exports`);
          continue;
        }
        if (metric in QUIET) continue;
        const series = await promQuery(prometheus.endpoint, `count(${metric})`);
        if ((series.data?.result.length ?? 0) === 0) problems.push(`${rule.name}: ${metric} has no data`);
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
    expect(existsSync(RULES_FILE)).toBe(true);
  });
});

/** The anchor GitHub gives a Markdown heading. */
function githubAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}
