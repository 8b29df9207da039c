/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument --
   The result files are written by the other benchmarks, each in its own shape; a missing
   figure shows as a dash rather than failing the report. */
/**
 * The report of `npm run bench`: the newest result of each benchmark (written since
 * LONGHAUL_BENCH_SINCE when set, so one run's figures stand side by side) combined into
 * bench/results/<date>.json, with every Longhaul figure as a ratio to the ceiling and to BullMQ,
 * and a Markdown page with charts (PNG, drawn with Vega-Lite and rendered by resvg) in
 * bench/report/.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERSIONS } from '@longhaul/local-stack';
import { Resvg } from '@resvg/resvg-js';
import { machine, runMain } from './results';

type Json = Record<string, any>;

const benchDir = join(__dirname, '..');
const resultsDir = process.env['LONGHAUL_BENCH_RESULTS_DIR'] ?? join(benchDir, 'results');
const since = process.env['LONGHAUL_BENCH_SINCE'] ?? '';
const NAMES = ['ceiling', 'ingress', 'processor', 'projector', 'notifier', 'e2e', 'bullmq'] as const;
/** The newest result of each benchmark, as its file holds it. */
export type Results = Partial<Record<(typeof NAMES)[number], Json>>;

/** The newest `<name>-<timestamp>.json` written at or after `since`. */
function newest(name: string): Json | undefined {
  const files = readdirSync(resultsDir)
    .filter((f) => f.startsWith(`${name}-`) && /\d{4}-\d\d-\d\dT/.test(f) && f.endsWith('.json'))
    .sort();
  for (const f of files.reverse()) {
    const data = JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as Json;
    if (!since || String(data['at']) >= since) return { ...data, file: f };
  }
  return undefined;
}

const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0
    ? null
    : +(a / b).toFixed(3);

export function figures(r: Results) {
  const at = (rows: Json[] | undefined, key: string, n: number) => rows?.find((x) => x[key] === n);
  const lh64 = at(r.ingress?.['rows'], 'concurrency', 64);
  const bq64 = at(r.bullmq?.['accept'], 'connections', 64);
  const lhSpan = (n: number) => at(r.processor?.['makespan'], 'processes', n)?.['makespanMs'] as number | undefined;
  const bqSpan = (n: number) => at(r.bullmq?.['makespans'], 'workers', n)?.['makespanMs'] as number | undefined;
  const longhaul = {
    acceptPerSecond64: lh64?.['acceptedPerSecond'] as number | undefined,
    acceptP99Ms64: lh64?.['p99Ms'] as number | undefined,
    pickupP50Ms: r.processor?.['pickup']?.['pickupMs']?.['p50'] as number | undefined,
    pickupP99Ms: r.processor?.['pickup']?.['pickupMs']?.['p99'] as number | undefined,
    makespanMs: { 1: lhSpan(1), 2: lhSpan(2), 4: lhSpan(4) },
    speedupAt4: ratio(lhSpan(1), lhSpan(4)),
    projectorCatchUpPerSecond: r.projector?.['catchUp']?.['medianEventsPerSecond'] as number | undefined,
    webhookDeliveriesPerSecond: r.notifier?.['throughput']?.['medianDeliveriesPerSecond'] as number | undefined,
    endToEndP50Ms: r.e2e?.['e2e']?.['p50Ms'] as number | undefined,
    endToEndP99Ms: r.e2e?.['e2e']?.['p99Ms'] as number | undefined,
    memoryMiB: r.e2e?.['memoryMiB'] as Json | undefined,
  };
  const bullmq = {
    acceptPerSecond64: bq64?.['acceptedPerSecond'] as number | undefined,
    acceptP99Ms64: bq64?.['p99Ms'] as number | undefined,
    pickupP50Ms: r.bullmq?.['pickup']?.['p50Ms'] as number | undefined,
    pickupP99Ms: r.bullmq?.['pickup']?.['p99Ms'] as number | undefined,
    makespanMs: { 1: bqSpan(1), 2: bqSpan(2), 4: bqSpan(4) },
    speedupAt4: ratio(bqSpan(1), bqSpan(4)),
  };
  const ceiling = {
    kafkaProducerPerSecond: r.ceiling?.['kafkaProducerPerSecond'] as number | undefined,
    kafkaConsumerPerSecond: r.ceiling?.['kafkaConsumerPerSecond'] as number | undefined,
    kafkajsProducerPerSecond: r.ceiling?.['kafkajsProducerPerSecond'] as number | undefined,
    kafkajsConsumerPerSecond: r.ceiling?.['kafkajsConsumerPerSecond'] as number | undefined,
    kafkajsAloneLikeIngress64: lh64?.['kafkajsAlonePerSecond'] as number | undefined,
  };
  const ratios = {
    acceptToBullmq: ratio(longhaul.acceptPerSecond64, bullmq.acceptPerSecond64),
    acceptToKafkaProducer: ratio(longhaul.acceptPerSecond64, ceiling.kafkaProducerPerSecond),
    acceptToKafkajsAlone: ratio(longhaul.acceptPerSecond64, ceiling.kafkajsAloneLikeIngress64),
    pickupP99ToBullmq: ratio(longhaul.pickupP99Ms, bullmq.pickupP99Ms),
    speedupAt4ToBullmq: ratio(longhaul.speedupAt4 ?? undefined, bullmq.speedupAt4 ?? undefined),
    makespanAt4ToBullmq: ratio(longhaul.makespanMs[4], bullmq.makespanMs[4]),
    projectorToKafkaConsumer: ratio(longhaul.projectorCatchUpPerSecond, ceiling.kafkaConsumerPerSecond),
    projectorToKafkajsConsumer: ratio(longhaul.projectorCatchUpPerSecond, ceiling.kafkajsConsumerPerSecond),
    deliveriesToKafkaConsumer: ratio(longhaul.webhookDeliveriesPerSecond, ceiling.kafkaConsumerPerSecond),
  };
  const targets = {
    acceptAtLeast3000: { value: longhaul.acceptPerSecond64, met: (longhaul.acceptPerSecond64 ?? 0) >= 3_000 },
    pickupP99AtMost100Ms: { value: longhaul.pickupP99Ms, met: (longhaul.pickupP99Ms ?? Infinity) <= 100 },
    speedupAt4AtLeast3_2: { value: longhaul.speedupAt4, met: (longhaul.speedupAt4 ?? 0) >= 3.2 },
  };
  return { longhaul, bullmq, ceiling, ratios, targets };
}

/** A Vega-Lite spec drawn as SVG (the size every chart here has unless it says otherwise). */
export async function svgOf(spec: object): Promise<string> {
  const vl = await import('vega-lite');
  const vega = await import('vega');
  const compiled = vl.compile({ width: 420, height: 220, ...spec } as Parameters<typeof vl.compile>[0]).spec;
  return new vega.View(vega.parse(compiled), { renderer: 'none' }).toSVG();
}

async function png(spec: object, file: string) {
  writeFileSync(
    file,
    new Resvg(await svgOf(spec), {
      font: { loadSystemFonts: true },
      fitTo: { mode: 'zoom', value: 2 },
      background: 'white',
    })
      .render()
      .asPng(),
  );
}

export interface ChartSpec {
  readonly title: string;
  readonly name: string;
  /** Vega-Lite, without its data. */
  readonly spec: object;
  readonly values: object[];
}

/** The report's charts, from the results and their figures; a chart without values is left out. */
export function chartSpecs(r: Results, f: ReturnType<typeof figures>): ChartSpec[] {
  const specs: ChartSpec[] = [];
  const chart = (title: string, name: string, spec: object, values: object[]) => {
    if (values.length > 0) specs.push({ title, name, spec, values });
  };
  const grouped = {
    mark: 'bar',
    encoding: { xOffset: { field: 'system' }, color: { field: 'system', type: 'nominal' } },
  };
  chart(
    'Accepted jobs per second by HTTP clients (acks=all vs Redis AOF)',
    'accept',
    {
      ...grouped,
      encoding: {
        ...grouped.encoding,
        x: { field: 'clients', type: 'ordinal' },
        y: { field: 'perSecond', type: 'quantitative' },
      },
    },
    [
      ...(r.ingress?.['rows'] ?? []).flatMap((x: Json) => [
        { system: 'Longhaul', clients: x['concurrency'], perSecond: x['acceptedPerSecond'] },
        { system: 'kafkajs alone', clients: x['concurrency'], perSecond: x['kafkajsAlonePerSecond'] },
      ]),
      ...(r.bullmq?.['accept'] ?? []).map((x: Json) => ({
        system: 'BullMQ',
        clients: x['connections'],
        perSecond: x['acceptedPerSecond'],
      })),
    ],
  );
  chart(
    'Pickup latency (accepted → started) at 200 jobs/s, ms (log; under 1 ms drawn at 0.5)',
    'pickup',
    {
      ...grouped,
      encoding: {
        ...grouped.encoding,
        x: { field: 'percentile', type: 'ordinal' },
        // No stacking: Vega-Lite stacks bars from zero, which has no place on a log scale (the
        // chart came out empty).
        y: { field: 'ms', type: 'quantitative', scale: { type: 'log', domainMin: 0.1 }, stack: null },
      },
    },
    [
      ...(['p50', 'p90', 'p99'] as const).map((p) => ({
        system: 'Longhaul',
        percentile: p,
        ms: Math.max(0.5, r.processor?.['pickup']?.['pickupMs']?.[p] ?? NaN),
      })),
      ...(['p50', 'p90', 'p99'] as const).map((p) => ({
        system: 'BullMQ',
        percentile: p,
        ms: Math.max(0.5, r.bullmq?.['pickup']?.[`${p}Ms`] ?? NaN),
      })),
    ].filter((x) => Number.isFinite(x.ms)),
  );
  const speedups = [1, 2, 4].flatMap((n) => [
    {
      system: 'Longhaul',
      processes: n,
      speedup: ratio(f.longhaul.makespanMs[1], f.longhaul.makespanMs[n as 1 | 2 | 4]),
    },
    { system: 'BullMQ', processes: n, speedup: ratio(f.bullmq.makespanMs[1], f.bullmq.makespanMs[n as 1 | 2 | 4]) },
    { system: 'ideal', processes: n, speedup: n },
  ]);
  chart(
    '2,000 sleep jobs of 500 ms: speedup over one process',
    'scaling',
    {
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'processes', type: 'quantitative' },
        y: { field: 'speedup', type: 'quantitative' },
        color: { field: 'system', type: 'nominal' },
      },
    },
    speedups.filter((s) => s.speedup !== null),
  );
  const mem = f.longhaul.memoryMiB;
  chart(
    'Resident memory per service, MiB',
    'memory',
    {
      ...grouped,
      encoding: {
        xOffset: { field: 'when' },
        color: { field: 'when', type: 'nominal' },
        x: { field: 'service', type: 'nominal' },
        y: { field: 'MiB', type: 'quantitative' },
      },
    },
    mem
      ? Object.entries(mem['idle'] ?? {}).flatMap(([service, idle]) => [
          { service, when: 'idle', MiB: idle },
          { service, when: 'under load', MiB: mem['underLoad']?.[service] },
        ])
      : [],
  );
  return specs;
}

async function charts(r: Results, f: ReturnType<typeof figures>, dir: string) {
  const made: { title: string; file: string }[] = [];
  for (const c of chartSpecs(r, f)) {
    await png({ title: c.title, data: { values: c.values }, ...c.spec }, join(dir, `${c.name}.png`));
    made.push({ title: c.title, file: c.name });
  }
  return made;
}

function markdown(date: string, combined: Json, made: { title: string; file: string }[]) {
  const f = combined['figures'] as ReturnType<typeof figures>;
  const n = (v: unknown, unit = '') =>
    typeof v === 'number' && Number.isFinite(v) ? `${v.toLocaleString('en')}${unit}` : '—';
  const rows = [
    [
      'accepted jobs/s (64 clients)',
      n(f.longhaul.acceptPerSecond64),
      n(f.bullmq.acceptPerSecond64),
      n(f.ratios.acceptToBullmq),
      `Kafka producer ${n(f.ceiling.kafkaProducerPerSecond)}/s: ${n(f.ratios.acceptToKafkaProducer)}`,
    ],
    ['POST p99 (64 clients)', n(f.longhaul.acceptP99Ms64, ' ms'), n(f.bullmq.acceptP99Ms64, ' ms'), '', ''],
    [
      'pickup p50 / p99',
      `${n(f.longhaul.pickupP50Ms)} / ${n(f.longhaul.pickupP99Ms, ' ms')}`,
      `${n(f.bullmq.pickupP50Ms)} / ${n(f.bullmq.pickupP99Ms, ' ms')}`,
      n(f.ratios.pickupP99ToBullmq),
      '',
    ],
    [
      'speedup at 4 processes',
      n(f.longhaul.speedupAt4, '×'),
      n(f.bullmq.speedupAt4, '×'),
      n(f.ratios.speedupAt4ToBullmq),
      '',
    ],
    [
      'makespan at 4 (2,000 × 500 ms)',
      n(f.longhaul.makespanMs[4], ' ms'),
      n(f.bullmq.makespanMs[4], ' ms'),
      n(f.ratios.makespanAt4ToBullmq),
      'ideal 15,625 ms',
    ],
    [
      'projector catch-up events/s',
      n(f.longhaul.projectorCatchUpPerSecond),
      '',
      '',
      `Kafka consumer ${n(f.ceiling.kafkaConsumerPerSecond)}/s: ${n(f.ratios.projectorToKafkaConsumer)}`,
    ],
    ['webhook deliveries/s', n(f.longhaul.webhookDeliveriesPerSecond), '', '', ''],
    [
      'accepted → final via GET p50 / p99',
      `${n(f.longhaul.endToEndP50Ms)} / ${n(f.longhaul.endToEndP99Ms, ' ms')}`,
      '',
      '',
      '',
    ],
  ];
  const targets = Object.entries(f.targets).map(([k, t]) => `- ${k}: ${n(t.value)} — ${t.met ? 'met' : 'not met'}`);
  const m = combined['machine'] as Json;
  return [
    `# Longhaul benchmarks, ${date}`,
    '',
    `Machine: ${m['cpus']} × ${m['cpuModel']}, ${m['memoryGiB']} GiB, ${m['os']}, Node ${m['node']}. Kafka ${combined['versions']['kafka']}; database ${combined['versions']['database'] ?? '—'}; Redis from Debian (AOF, fsync every second) for BullMQ.`,
    '',
    'All figures come from one `npm run bench` run on this machine, each benchmark on a freshly started stack. Rates, makespans and the ceiling are medians of repeated runs (three unless a LONGHAUL_BENCH_REPEATS said otherwise); pickup percentiles are medians over three timed windows; accepted → final is a percentile over one pass of jobs.',
    '',
    '| figure | Longhaul | BullMQ | Longhaul ÷ BullMQ | ceiling |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    '## Targets of this round',
    '',
    ...targets,
    '',
    ...made.flatMap((c) => [`## ${c.title}`, '', `![${c.title}](${date}/${c.file}.png)`, '']),
    `Sources: ${Object.values(combined['sources'] as Record<string, string>).join(', ')} in bench/results/.`,
    '',
  ].join('\n');
}

async function main() {
  const results: Results = {};
  for (const name of NAMES) {
    const r = newest(name);
    if (r) results[name] = r;
    else console.log(`no ${name} result${since ? ` since ${since}` : ''}: its figures are left out`);
  }
  const date = new Date().toISOString().slice(0, 10);
  const f = figures(results);
  const combined = {
    at: new Date().toISOString(),
    machine: machine(),
    versions: {
      kafka: VERSIONS.kafka,
      database: results.projector?.['server'] ?? results.notifier?.['server'],
    },
    sources: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v['file'] as string])),
    figures: f,
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${date}.json`), `${JSON.stringify(combined, null, 2)}\n`);
  const reportDir = join(benchDir, 'report');
  const chartDir = join(reportDir, date);
  if (!existsSync(chartDir)) mkdirSync(chartDir, { recursive: true });
  const made = await charts(results, f, chartDir);
  writeFileSync(join(reportDir, `${date}.md`), markdown(date, combined, made));
  console.log(JSON.stringify(f, null, 2));
  console.log(`report: bench/report/${date}.md; figures: bench/results/${date}.json`);
}

// Run as a command (the tests import the charts alone).
if (require.main === module) runMain('report', main);
