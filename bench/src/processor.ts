/**
 * bench:processor — (a) pickup latency, accepted → started, at a steady rate of `sleep` 0 ms
 * jobs on one processor process; (b) the makespan of a burst of `sleep` 500 ms jobs on 1, 2 and
 * 4 processor processes, and the speedups. The stack starts no processor for this benchmark:
 * it starts and stops its own, so it controls how many run, and times a phase only once every
 * one is ready and the group's assignment covers every partition. Times come from the events
 * (JobRequested.time stamped by the ingress on acceptance, JobStarted/JobSucceeded.time by the
 * processor), all on this machine's clock.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { AssignerProtocol, Kafka, logLevel, type Admin, type KafkaMessage } from 'kafkajs';
import { EVENT_TYPE_HEADER, createEventCodec, createSchemaRegistry, type LonghaulEvent } from '@longhaul/contracts';
import { topicNames } from '@longhaul/kafka';
import { stackSnapshot } from './processes';
import { benchEnv, median, numberSetting, percentile, writeResults } from './results';

const env = benchEnv();
const setting = numberSetting;
const settings = {
  /** Pickup: submissions per second, for how long, after an untimed warm-up. */
  rate: setting('LONGHAUL_BENCH_RATE', 200),
  seconds: setting('LONGHAUL_BENCH_SECONDS', 15),
  warmupSeconds: setting('LONGHAUL_BENCH_WARMUP_SECONDS', 30),
  /** Makespan: jobs per run, their sleep, the HTTP clients submitting them, the process counts. */
  jobs: setting('LONGHAUL_BENCH_JOBS', 2000),
  sleepMs: setting('LONGHAUL_BENCH_SLEEP_MS', 500),
  clients: setting('LONGHAUL_BENCH_CLIENTS', 32),
  processes: (process.env['LONGHAUL_BENCH_PROCESSES'] ?? '1,2,4')
    .split(',')
    .filter((n) => n.trim() !== '')
    .map(Number),
  /** Jobs each processor runs at once (its LONGHAUL_PROCESSOR_CONCURRENCY). */
  concurrency: setting('LONGHAUL_BENCH_CONCURRENCY', 16),
  /** One makespan run per process count unless told: a run of 2,000 × 500 ms at 1 process is a minute. */
  repeats: setting('LONGHAUL_BENCH_REPEATS', 1),
  /** Pickup: timed windows one after another after the warm-up; the medians of their figures are quoted. */
  pickupWindows: setting('LONGHAUL_BENCH_PICKUP_WINDOWS', 3),
};
const TARGETS = { pickupP50Ms: 20, pickupP99Ms: 100, speedup: { 2: 1.8, 4: 3.2 } as Record<number, number> };

const stackProcessors = Number(process.env['LONGHAUL_BENCH_STACK_PROCESSORS'] ?? '0');
const firstOpsPort = Number(process.env['LONGHAUL_BENCH_PROCESSOR_OPS_PORT']);
const mongoUrl = process.env['LONGHAUL_BENCH_MONGO_URL'] ?? '';
const logDir = process.env['LONGHAUL_BENCH_LOG_DIR'] ?? tmpdir();
const prefix = process.env['LONGHAUL_TOPIC_PREFIX'] ?? 'longhaul.';
const topics = topicNames(prefix);
const groupId = `${prefix}processor`;
const processorMain = join(__dirname, '..', '..', 'services', 'processor', 'dist', 'main.js');

const say = (line: string) => process.stdout.write(`${line}\n`);
const ms = (n: number) => `${Math.round(n)} ms`;
const seconds = (n: number) => `${(n / 1000).toFixed(2)} s`;
const spread = (values: readonly number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), max: s.at(-1) ?? NaN };
};

/**
 * How starts bunch together: runs of starts less than 100 ms apart. A processor that takes work
 * in rounds (fills its slots, pauses, waits for the next fetch) shows bursts of about its
 * concurrency at a fixed period.
 */
function startRhythm(starts: readonly number[]) {
  const sorted = [...starts].sort((a, b) => a - b);
  const bursts: { first: number; last: number; size: number }[] = [];
  for (const t of sorted) {
    const b = bursts.at(-1);
    if (b && t - b.last < 100) {
      b.last = t;
      b.size += 1;
    } else bursts.push({ first: t, last: t, size: 1 });
  }
  const between = bursts
    .slice(1)
    .map((b, i) => ({ period: b.first - bursts[i]!.first, gap: b.first - bursts[i]!.last }));
  return {
    bursts: bursts.length,
    medianSize: median(bursts.map((b) => b.size)),
    medianPeriodMs: median(between.map((x) => x.period)),
    medianGapMs: median(between.map((x) => x.gap)),
  };
}

/* ── what the events say about each job ─────────────────────────────────────────────── */

interface JobTrace {
  requested?: number;
  /** The JobRequested message's Kafka timestamp (the ingress producer's send time) and partition. */
  appended?: number;
  partition?: number;
  started?: number;
  worker?: string;
  starts: number;
  succeeded?: number;
  /** The JobSucceeded message's Kafka timestamp: the processor sends it once the outcome is stored. */
  succeededAppended?: number;
  other?: string;
}

const WANTED = new Set([
  'JobRequested',
  'JobStarted',
  'JobSucceeded',
  'JobAttemptFailed',
  'JobFailed',
  'JobCancelled',
  'JobDeadLettered',
]);
const traces = new Map<string, JobTrace>();
const traceOf = (id: string) => {
  let t = traces.get(id);
  if (!t) traces.set(id, (t = { starts: 0 }));
  return t;
};

function record(event: LonghaulEvent, message: KafkaMessage, partition: number) {
  const t = traceOf(event.jobId);
  switch (event.eventType) {
    case 'JobRequested':
      if (event.attempt === 1 && t.requested === undefined) {
        t.requested = event.time;
        t.appended = Number(message.timestamp);
        t.partition = partition;
      }
      return;
    case 'JobStarted':
      t.starts += 1;
      if (t.started === undefined) {
        t.started = event.time;
        t.worker = event.worker;
      }
      return;
    case 'JobSucceeded':
      if (t.succeeded === undefined) {
        t.succeeded = event.time;
        t.succeededAppended = Number(message.timestamp);
      }
      return;
    default:
      t.other ??= event.eventType;
  }
}

async function followEvents(kafka: Kafka) {
  const codec = createEventCodec(createSchemaRegistry({ url: env.schemaRegistryUrl }), prefix);
  const consumer = kafka.consumer({ groupId: `bench-processor-${process.pid}-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.requested, topics.events], fromBeginning: true });
  await consumer.run({
    eachBatch: async (payload) => {
      const { batch } = payload;
      for (const message of batch.messages) {
        const type = message.headers?.[EVENT_TYPE_HEADER]?.toString();
        // Only what the figures need is decoded (progress and checkpoints are skipped).
        if (type !== undefined && WANTED.has(type)) record(await codec.decode(message), message, batch.partition);
        payload.resolveOffset(message.offset);
      }
      await payload.heartbeat();
    },
  });
  return consumer;
}

async function waitForJobs(ids: readonly string[], done: (t: JobTrace) => boolean, what: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let lastSaid = Date.now();
  for (;;) {
    const count = ids.reduce((n, id) => n + (done(traceOf(id)) ? 1 : 0), 0);
    if (count === ids.length) return;
    const failed = ids.filter((id) => traceOf(id).other !== undefined);
    if (failed.length > 0) throw new Error(`${failed.length} job(s) ended otherwise (${traceOf(failed[0]!).other})`);
    if (Date.now() > deadline) throw new Error(`only ${count}/${ids.length} jobs ${what} after ${seconds(timeoutMs)}`);
    if (Date.now() - lastSaid >= 10_000) {
      say(`  … ${count}/${ids.length} ${what}`);
      lastSaid = Date.now();
    }
    await delay(100);
  }
}

/* ── submitting ─────────────────────────────────────────────────────────────────────── */

interface Submitted {
  id: string;
  postedAt: number;
  answeredAt: number;
}

async function submit(ms: number): Promise<Submitted> {
  const body = JSON.stringify({ type: 'sleep', payload: { ms } });
  for (let attempt = 1; ; attempt++) {
    const postedAt = Date.now();
    const res = await fetch(`${env.apiUrl}/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.apiKey}`, 'content-type': 'application/json' },
      body,
    });
    if (res.status === 202) {
      const { id } = (await res.json()) as { id: string };
      return { id, postedAt, answeredAt: Date.now() };
    }
    const text = await res.text();
    if (attempt >= 5 || (res.status !== 429 && res.status !== 503)) {
      throw new Error(`POST /v1/jobs answered ${res.status}: ${text.slice(0, 200)}`);
    }
    await delay(100 * attempt);
  }
}

/** `count` submissions at `rate` per second on a fixed schedule (open loop: none waits for another). */
async function submitPaced(count: number, rate: number, sleepMs: number) {
  const interval = 1000 / rate;
  const t0 = performance.now();
  const pending: Promise<Submitted>[] = [];
  let maxLagMs = 0;
  while (pending.length < count) {
    const now = performance.now();
    const due = Math.min(count, Math.floor((now - t0) / interval) + 1);
    while (pending.length < due) {
      maxLagMs = Math.max(maxLagMs, now - (t0 + pending.length * interval));
      pending.push(submit(sleepMs));
    }
    await delay(Math.max(0, t0 + pending.length * interval - performance.now()));
  }
  const elapsedMs = performance.now() - t0;
  return { submitted: await Promise.all(pending), elapsedMs, maxLagMs };
}

/** `count` submissions from `clients` clients, each posting again as soon as answered. */
async function submitBurst(count: number, clients: number, sleepMs: number) {
  const submitted: Submitted[] = [];
  let taken = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (taken < count) {
        taken++;
        submitted.push(await submit(sleepMs));
      }
    }),
  );
  return submitted;
}

/* ── the processors this bench runs ─────────────────────────────────────────────────── */

interface Member {
  name: string;
  port: number;
  child: ChildProcess;
  logFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exit?: { code: number | null; signal: NodeJS.Signals | null };
}

const live = new Set<Member>();

function startProcessor(index: number, label: string): Member {
  const name = `bench-processor-${index + 1}`;
  const port = firstOpsPort + index;
  const logFile = join(logDir, `${name}-${label}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(
    process.execPath,
    ['--enable-source-maps', '--disable-warning=TimeoutNegativeWarning', processorMain],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        LONGHAUL_KAFKA_BROKERS: env.kafkaBrokers.join(','),
        LONGHAUL_SCHEMA_REGISTRY_URL: env.schemaRegistryUrl,
        LONGHAUL_MONGO_URL: mongoUrl,
        LONGHAUL_BIND_HOST: '127.0.0.1',
        LONGHAUL_INSTANCE_ID: name,
        LONGHAUL_OPS_PORT: String(port),
        LONGHAUL_LOG_LEVEL: 'warn',
        LONGHAUL_PROCESSOR_CONCURRENCY: String(settings.concurrency),
      },
    },
  );
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const member: Member = {
    name,
    port,
    child,
    logFile,
    // 'close': the process has exited and its output is in the log file.
    exited: new Promise((resolve) =>
      child.once('close', (code, signal) => {
        member.exit = { code, signal };
        live.delete(member);
        log.end(() => resolve({ code, signal }));
      }),
    ),
  };
  live.add(member);
  return member;
}

async function isReady(m: Member): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${m.port}/readyz`, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

interface Assignment {
  member: string;
  requested: number[];
  retry: number[];
}

/** The group's current assignment, when it is stable with exactly `members` and covers every partition. */
async function settledAssignment(admin: Admin, members: readonly Member[], partitions: number) {
  const { groups } = await admin.describeGroups([groupId]);
  const group = groups[0];
  if (!group || group.state !== 'Stable' || group.members.length !== members.length) return null;
  const assignments: Assignment[] = group.members.map((m) => {
    const decoded = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
    return {
      member: m.clientId.replace(/^longhaul-processor-/, ''),
      requested: [...(decoded?.assignment[topics.requested] ?? [])].sort((a, b) => a - b),
      retry: [...(decoded?.assignment[topics.retry] ?? [])].sort((a, b) => a - b),
    };
  });
  const ours = new Set(members.map((m) => m.name));
  if (!assignments.every((a) => ours.has(a.member))) return null;
  const covered = (key: 'requested' | 'retry') => new Set(assignments.flatMap((a) => a[key])).size === partitions;
  return covered('requested') && covered('retry') ? assignments.sort((a, b) => a.member.localeCompare(b.member)) : null;
}

/** Start `n` processors; resolve once all are ready and the rebalance has settled (twice in a row, 1 s apart). */
async function startFleet(n: number, label: string, admin: Admin, partitions: number) {
  const started = Date.now();
  const members = Array.from({ length: n }, (_, i) => startProcessor(i, label));
  const deadline = Date.now() + 120_000;
  let seen = 0;
  for (;;) {
    const dead = members.find((m) => m.exit);
    if (dead) throw new Error(`${dead.name} exited (${JSON.stringify(dead.exit)}); see ${dead.logFile}`);
    const ready = (await Promise.all(members.map(isReady))).every(Boolean);
    const assignment = ready ? await settledAssignment(admin, members, partitions) : null;
    seen = assignment ? seen + 1 : 0;
    if (assignment && seen >= 2) return { members, assignment, settleMs: Date.now() - started };
    if (Date.now() > deadline) throw new Error(`${n} processor(s) not ready and assigned after 120 s`);
    await delay(assignment ? 1_000 : 250);
  }
}

/** SIGTERM each and wait for it to exit (killed after 40 s: the processor's shutdown deadline is 25 s). */
async function stopFleet(members: readonly Member[]) {
  const t0 = Date.now();
  for (const m of members) if (!m.exit) m.child.kill('SIGTERM');
  const exits = await Promise.all(
    members.map(async (m) => {
      const timer = setTimeout(() => m.child.kill('SIGKILL'), 40_000);
      const exit = await m.exited;
      clearTimeout(timer);
      return { member: m.name, ...exit };
    }),
  );
  return { stopMs: Date.now() - t0, exits };
}

/** What the processors logged (at warn and above): message → lines, and lines inside the timed window. */
function logSummary(members: readonly Member[], timed: { from: number; to: number }) {
  const counts: Record<string, { lines: number; timed: number }> = {};
  for (const m of members) {
    for (const line of readFileSync(m.logFile, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      let msg = line.slice(0, 120);
      let at = NaN;
      try {
        const parsed = JSON.parse(line) as { msg?: unknown; time?: unknown };
        if (typeof parsed.msg === 'string') msg = parsed.msg.slice(0, 120);
        at = typeof parsed.time === 'string' ? Date.parse(parsed.time) : Number(parsed.time);
      } catch {
        // not a JSON log line: keep its beginning
      }
      const c = (counts[msg] ??= { lines: 0, timed: 0 });
      c.lines += 1;
      if (at >= timed.from && at <= timed.to) c.timed += 1;
    }
  }
  return counts;
}

function machineTicks() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { idle: f[3]! + (f[4] ?? 0), total: f.reduce((a, b) => a + b, 0) };
}

/**
 * Start measuring CPU; the function returned gives the cores each component of the stack used
 * meanwhile, each processor's, and what the rest of the machine (outside this stack) used.
 */
function cpuWindow(members: readonly Member[]) {
  const t0 = Date.now();
  const m0 = machineTicks();
  const s0 = stackSnapshot();
  const load = loadavg()[0]!;
  return () => {
    const wall = (Date.now() - t0) / 1000;
    const m1 = machineTicks();
    const s1 = stackSnapshot();
    const used = new Map<string, number>();
    const perPid = new Map<number, number>();
    for (const [pid, now] of s1) {
      const delta = now.cpu - (s0.get(pid)?.cpu ?? 0);
      perPid.set(pid, delta);
      used.set(now.component, (used.get(now.component) ?? 0) + delta);
    }
    const cores = (seconds: number) => Number((seconds / wall).toFixed(2));
    const busy = 1 - (m1.idle - m0.idle) / (m1.total - m0.total);
    const stackCores = [...used.values()].reduce((a, b) => a + b, 0) / wall;
    return {
      loadAverageAtStart: Number(load.toFixed(2)),
      machineBusy: Number(busy.toFixed(2)),
      stackCores: Object.fromEntries([...used].sort((a, b) => b[1] - a[1]).map(([c, v]) => [c, cores(v)])),
      outsideStackCores: Number((busy * cpus().length - stackCores).toFixed(2)),
      processorCores: Object.fromEntries(members.map((m) => [m.name, cores(perPid.get(m.child.pid ?? -1) ?? NaN)])),
    };
  };
}

/** From a processor's /metrics: mean run time (start → outcome stored) and mean queue wait of `sleep` jobs. */
async function scrape(m: Member) {
  try {
    const text = await (
      await fetch(`http://127.0.0.1:${m.port}/metrics`, { signal: AbortSignal.timeout(5_000) })
    ).text();
    // Every series also carries the registry's default label (service=…): match labels by inclusion.
    const value = (name: string, ...labels: string[]) => {
      for (const line of text.split('\n')) {
        const found = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
        if (found?.[1] === name && labels.every((l) => (found[2] ?? '').includes(l))) return Number(found[3]);
      }
      return NaN;
    };
    const mean = (name: string, ...labels: string[]) =>
      Math.round((1000 * value(`${name}_sum`, ...labels)) / value(`${name}_count`, ...labels));
    return {
      member: m.name,
      runMeanMs: mean('longhaul_processor_job_duration_seconds', 'type="sleep"', 'outcome="succeeded"'),
      queueWaitMeanMs: mean('longhaul_processor_queue_wait_seconds', 'type="sleep"'),
      rebalances: value('longhaul_processor_rebalances_total'),
    };
  } catch {
    return { member: m.name };
  }
}

/** Jobs started per worker (process), by the worker's instance id. */
function perWorker(ids: readonly string[], value: (t: JobTrace) => number | undefined) {
  const out: Record<string, { jobs: number; last: number }> = {};
  for (const id of ids) {
    const t = traceOf(id);
    const worker = (t.worker ?? 'unknown').replace(/-[0-9a-f]{6}$/, '');
    const w = (out[worker] ??= { jobs: 0, last: 0 });
    w.jobs += 1;
    w.last = Math.max(w.last, value(t) ?? 0);
  }
  return out;
}

/* ── the two measurements ──────────────────────────────────────────────────────────── */

/** One timed pickup window: `seconds` of submissions at `rate`, measured once all have finished. */
async function pickupWindow(members: readonly Member[]) {
  const cpu = cpuWindow(members);
  const run = await submitPaced(Math.round(settings.rate * settings.seconds), settings.rate, 0);
  const ids = run.submitted.map((s) => s.id);
  await waitForJobs(ids, (t) => t.requested !== undefined && t.succeeded !== undefined, 'done', 120_000);
  const rows = run.submitted.map((s) => ({ s, t: traceOf(s.id) }));
  const starts = rows.map(({ t }) => t.started!);
  return {
    jobs: ids.length,
    achievedRate: Number(((ids.length / run.elapsedMs) * 1000).toFixed(1)),
    /** How fast the processor started them: below the submission rate, a queue builds. */
    startedPerSecond: Number(((ids.length / (Math.max(...starts) - Math.min(...starts))) * 1000).toFixed(1)),
    startRhythm: startRhythm(starts),
    cpu: cpu(),
    metrics: await Promise.all(members.map(scrape)),
    maxScheduleLagMs: Math.round(run.maxLagMs),
    /** JobRequested.time (ingress, on acceptance) → JobStarted.time (processor): the headline. */
    pickupMs: spread(rows.map(({ t }) => t.started! - t.requested!)),
    /** Split: acceptance → the JobRequested's Kafka timestamp (ingress store + publish)… */
    acceptedToAppendedMs: spread(rows.map(({ t }) => t.appended! - t.requested!)),
    /** …and Kafka timestamp → JobStarted.time (processor fetch, store reads, lease, start). */
    appendedToStartedMs: spread(rows.map(({ t }) => t.started! - t.appended!)),
    /** Client clock: just before the POST → JobStarted.time. */
    postToStartedMs: spread(rows.map(({ s, t }) => t.started! - s.postedAt)),
    postLatencyMs: spread(rows.map(({ s }) => s.answeredAt - s.postedAt)),
    /** JobStarted.time → the JobSucceeded's Kafka timestamp: the run and storing its outcome. */
    startedToSucceededSentMs: spread(rows.map(({ t }) => t.succeededAppended! - t.started!)),
    startedMoreThanOnce: rows.filter(({ t }) => t.starts > 1).length,
  };
}

type PickupWindow = Awaited<ReturnType<typeof pickupWindow>>;
type Spread = ReturnType<typeof spread>;
/** The window's figures that are latency spreads. */
type SpreadKey = { [K in keyof PickupWindow]: PickupWindow[K] extends Spread ? K : never }[keyof PickupWindow];

/** Each percentile's median over the windows (single windows of this benchmark vary two- to threefold). */
function medianSpread(spreads: readonly Spread[]): Spread {
  const of = (k: keyof Spread) => median(spreads.map((x) => x[k]));
  return { n: spreads.reduce((n, x) => n + x.n, 0), p50: of('p50'), p90: of('p90'), p99: of('p99'), max: of('max') };
}

/**
 * The windows' medians. Every latency figure is the median of that percentile over the windows;
 * what explains them (rhythm, CPU, metrics) comes from the window whose pickup p99 is the median.
 */
function combineWindows(windows: readonly PickupWindow[]) {
  const byP99 = [...windows].sort((a, b) => a.pickupMs.p99 - b.pickupMs.p99);
  const middle = byP99[Math.floor((byP99.length - 1) / 2)]!;
  const spreads = (k: SpreadKey) => medianSpread(windows.map((w) => w[k]));
  return {
    ...middle,
    jobs: windows.reduce((n, w) => n + w.jobs, 0),
    achievedRate: median(windows.map((w) => w.achievedRate)),
    startedPerSecond: median(windows.map((w) => w.startedPerSecond)),
    maxScheduleLagMs: Math.max(...windows.map((w) => w.maxScheduleLagMs)),
    pickupMs: spreads('pickupMs'),
    acceptedToAppendedMs: spreads('acceptedToAppendedMs'),
    appendedToStartedMs: spreads('appendedToStartedMs'),
    postToStartedMs: spreads('postToStartedMs'),
    postLatencyMs: spreads('postLatencyMs'),
    startedToSucceededSentMs: spreads('startedToSucceededSentMs'),
    startedMoreThanOnce: windows.reduce((n, w) => n + w.startedMoreThanOnce, 0),
    /** Each window's own pickup figures, in order. */
    windows: windows.map((w) => ({ jobs: w.jobs, pickupMs: w.pickupMs, appendedToStartedMs: w.appendedToStartedMs })),
  };
}

async function measurePickup(admin: Admin, partitions: number) {
  say(
    `── pickup: 1 processor at concurrency ${settings.concurrency}, ${settings.rate} jobs/s of sleep 0 ms, ` +
      `${settings.pickupWindows} window(s) of ${settings.seconds} s`,
  );
  const fleet = await startFleet(1, 'pickup', admin, partitions);
  say(`  processor ready and assigned in ${seconds(fleet.settleMs)}`);
  const timed = { from: Infinity, to: -Infinity };
  let stopped;
  let measured;
  try {
    if (settings.warmupSeconds > 0) {
      const warm = await submitPaced(Math.round(settings.rate * settings.warmupSeconds), settings.rate, 0);
      await waitForJobs(
        warm.submitted.map((s) => s.id),
        (t) => t.succeeded !== undefined,
        'warm-up jobs done',
        60_000,
      );
    }
    timed.from = Date.now();
    const windows: PickupWindow[] = [];
    for (let i = 0; i < settings.pickupWindows; i++) {
      const w = await pickupWindow(fleet.members);
      say(`  window ${i + 1}: accepted → started p50 ${ms(w.pickupMs.p50)}  p99 ${ms(w.pickupMs.p99)}`);
      windows.push(w);
    }
    timed.to = Date.now();
    measured = combineWindows(windows);
  } finally {
    stopped = await stopFleet(fleet.members);
  }
  return { ...measured, stop: stopped, processorLog: logSummary(fleet.members, timed) };
}

async function measureMakespan(n: number, admin: Admin, partitions: number) {
  say(`── makespan: ${n} processor(s) × ${settings.concurrency}, ${settings.jobs} × sleep ${settings.sleepMs} ms`);
  const fleet = await startFleet(n, `makespan-${n}`, admin, partitions);
  say(
    `  ready and assigned in ${seconds(fleet.settleMs)}; requested partitions: ${fleet.assignment
      .map((a) => `${a.member} [${a.requested.join(',')}]`)
      .join('  ')}`,
  );
  const idealMs = (settings.jobs * settings.sleepMs) / (settings.concurrency * n);
  const runs = [];
  const timed = { from: Infinity, to: -Infinity };
  let stopped;
  let metrics;
  try {
    for (let r = 0; r < settings.repeats; r++) {
      const first = Date.now();
      timed.from = Math.min(timed.from, first);
      const cpu = cpuWindow(fleet.members);
      const submitted = await submitBurst(settings.jobs, settings.clients, settings.sleepMs);
      const submitMs = Date.now() - first;
      const ids = submitted.map((s) => s.id);
      await waitForJobs(ids, (t) => t.succeeded !== undefined, 'succeeded', idealMs * 6 + 120_000);
      timed.to = Date.now();
      const lastSucceeded = Math.max(...ids.map((id) => traceOf(id).succeeded!));
      const workers = perWorker(ids, (t) => t.succeeded);
      const jobsPerPartition: Record<number, number> = {};
      for (const id of ids) {
        const p = traceOf(id).partition ?? -1;
        jobsPerPartition[p] = (jobsPerPartition[p] ?? 0) + 1;
      }
      const run = {
        makespanMs: lastSucceeded - first,
        submitMs,
        postLatencyMs: spread(submitted.map((x) => x.answeredAt - x.postedAt)),
        startRhythm: startRhythm(ids.map((id) => traceOf(id).started!)),
        cpu: cpu(),
        startedMoreThanOnce: ids.filter((id) => traceOf(id).starts > 1).length,
        workers: Object.fromEntries(
          Object.entries(workers).map(([w, v]) => [w, { jobs: v.jobs, lastSucceededAtMs: v.last - first }]),
        ),
        jobsPerPartition,
      };
      runs.push(run);
      say(
        `  run ${r + 1}: makespan ${seconds(run.makespanMs)} (submitting took ${seconds(submitMs)}); per process: ` +
          Object.entries(run.workers)
            .map(([w, v]) => `${w} ${v.jobs} jobs, last done at ${seconds(v.lastSucceededAtMs)}`)
            .join('; '),
      );
    }
    metrics = await Promise.all(fleet.members.map(scrape));
  } finally {
    stopped = await stopFleet(fleet.members);
  }
  const makespanMs = median(runs.map((r) => r.makespanMs));
  return {
    processes: n,
    makespanMs,
    idealMs,
    efficiency: Number((idealMs / makespanMs).toFixed(3)),
    settleMs: fleet.settleMs,
    assignment: fleet.assignment,
    runs,
    metrics,
    stop: stopped,
    processorLog: logSummary(fleet.members, timed),
  };
}

/* ── main ───────────────────────────────────────────────────────────────────────────── */

async function main() {
  if (stackProcessors !== 0) {
    throw new Error(
      `the stack runs ${stackProcessors} processor(s); this benchmark runs its own: unset LONGHAUL_PROCESSORS`,
    );
  }
  if (!settings.processes.every((n) => Number.isInteger(n) && n >= 1 && n <= 32)) {
    throw new Error(
      `LONGHAUL_BENCH_PROCESSES must list process counts from 1 to 32, got "${settings.processes.join(',')}"`,
    );
  }
  if (!mongoUrl || !Number.isInteger(firstOpsPort)) {
    throw new Error(
      'LONGHAUL_BENCH_MONGO_URL or LONGHAUL_BENCH_PROCESSOR_OPS_PORT is not set: run `npm run bench:processor`',
    );
  }
  const kafka = new Kafka({ clientId: 'bench-processor', brokers: env.kafkaBrokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const meta = await admin.fetchTopicMetadata({ topics: [topics.requested] });
  const partitions = meta.topics[0]?.partitions.length ?? 0;
  const consumer = await followEvents(kafka);
  try {
    const pickup = await measurePickup(admin, partitions);
    const makespans = [];
    for (const n of settings.processes) makespans.push(await measureMakespan(n, admin, partitions));
    report(pickup, makespans, partitions);
  } finally {
    await consumer.disconnect();
    await admin.disconnect();
  }
}

function describeCpu(c: ReturnType<ReturnType<typeof cpuWindow>>) {
  const stack = Object.entries(c.stackCores)
    .filter(([, v]) => v >= 0.01)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const procs = Object.values(c.processorCores).join('/');
  return (
    `CPU cores: ${stack} (each processor ${procs}); outside this stack ${c.outsideStackCores}; ` +
    `machine ${Math.round(c.machineBusy * 100)}% busy (load ${c.loadAverageAtStart} at start)`
  );
}

function describeRhythm(r: ReturnType<typeof startRhythm>) {
  return `in ${r.bursts} bursts (starts < 100 ms apart) of median ${r.medianSize} every ${ms(r.medianPeriodMs)} (median idle gap ${ms(r.medianGapMs)})`;
}

function describeMetrics(metrics: readonly Awaited<ReturnType<typeof scrape>>[]) {
  return metrics
    .map((m) =>
      'runMeanMs' in m
        ? `${m.member}: mean run ${m.runMeanMs} ms, mean queue wait ${m.queueWaitMeanMs} ms, ${m.rebalances} rebalance(s)`
        : `${m.member}: no metrics`,
    )
    .join('; ');
}

function report(
  pickup: Awaited<ReturnType<typeof measurePickup>>,
  makespans: Awaited<ReturnType<typeof measureMakespan>>[],
  partitions: number,
) {
  const mark = (met: boolean) => (met ? 'met   ' : 'MISSED');
  const targets: Record<string, boolean> = {
    [`pickup p50 <= ${TARGETS.pickupP50Ms} ms`]: pickup.pickupMs.p50 <= TARGETS.pickupP50Ms,
    [`pickup p99 <= ${TARGETS.pickupP99Ms} ms`]: pickup.pickupMs.p99 <= TARGETS.pickupP99Ms,
  };
  const t1 = makespans.find((m) => m.processes === 1)?.makespanMs;
  const rows = makespans.map((m) => {
    const speedup = t1 === undefined ? null : Number((t1 / m.makespanMs).toFixed(2));
    const target = TARGETS.speedup[m.processes];
    if (target !== undefined && speedup !== null)
      targets[`speedup at ${m.processes} >= ${target}x`] = speedup >= target;
    return { ...m, speedup, speedupTarget: target ?? null };
  });

  const p = (s: { p50: number; p90: number; p99: number; max: number }) =>
    `p50 ${ms(s.p50)}  p90 ${ms(s.p90)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`;
  say('');
  say(
    `pickup, 1 processor × ${settings.concurrency}: ${pickup.jobs} jobs at ${pickup.achievedRate}/s ` +
      `(after ${settings.warmupSeconds} s warm-up; schedule lag max ${pickup.maxScheduleLagMs} ms); ` +
      `medians of ${pickup.windows.length} window(s) of ${settings.seconds} s`,
  );
  say(`  accepted → started (JobRequested.time from Kafka → JobStarted.time): ${p(pickup.pickupMs)}`);
  say(`    ${mark(targets[`pickup p50 <= ${TARGETS.pickupP50Ms} ms`]!)} p50 <= ${TARGETS.pickupP50Ms} ms`);
  say(`    ${mark(targets[`pickup p99 <= ${TARGETS.pickupP99Ms} ms`]!)} p99 <= ${TARGETS.pickupP99Ms} ms`);
  say(`  of which accepted → on Kafka (ingress store + publish):   ${p(pickup.acceptedToAppendedMs)}`);
  say(`  and on Kafka → started (processor):                       ${p(pickup.appendedToStartedMs)}`);
  say(`  client clock, before POST → started:                      ${p(pickup.postToStartedMs)}`);
  say(`  POST latency:                                              ${p(pickup.postLatencyMs)}`);
  say(`  started → JobSucceeded sent (run + outcome stored):        ${p(pickup.startedToSucceededSentMs)}`);
  say(
    `  processor started ${pickup.startedPerSecond} jobs/s, ${describeRhythm(pickup.startRhythm)}; ` +
      `started more than once: ${pickup.startedMoreThanOnce}`,
  );
  say(`  ${describeCpu(pickup.cpu)}`);
  say(`  ${describeMetrics(pickup.metrics)}`);
  say('');
  say(
    `makespan, ${settings.jobs} × sleep ${settings.sleepMs} ms, ${settings.concurrency} per process, ` +
      `${settings.clients} clients, median of ${settings.repeats} run(s), ${partitions} request partitions`,
  );
  say('  processes  makespan   ideal     efficiency  speedup  target');
  for (const r of rows) {
    const target =
      r.speedupTarget === null || r.speedup === null
        ? ''
        : `${mark(r.speedup >= r.speedupTarget)} >= ${r.speedupTarget}x`;
    say(
      `  ${String(r.processes).padStart(9)}  ${seconds(r.makespanMs).padStart(8)}  ${seconds(r.idealMs).padStart(8)}  ` +
        `${`${(r.efficiency * 100).toFixed(0)}%`.padStart(10)}  ${(r.speedup === null ? '-' : `${r.speedup.toFixed(2)}x`).padStart(7)}  ${target}`,
    );
  }
  for (const r of rows) {
    for (const [i, run] of r.runs.entries()) {
      say(`  ${r.processes} process(es), run ${i + 1}:`);
      say(`    submitting ${seconds(run.submitMs)}, POST latency ${p(run.postLatencyMs)}`);
      say(
        `    ${Object.entries(run.workers)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([w, v]) => `${w} ${v.jobs} jobs, last done ${seconds(v.lastSucceededAtMs)}`)
          .join('; ')}; started more than once: ${run.startedMoreThanOnce}`,
      );
      say(`    starts: ${describeRhythm(run.startRhythm)}`);
      say(`    ${describeCpu(run.cpu)}`);
    }
    say(`    ${describeMetrics(r.metrics)}`);
  }
  for (const [what, log] of [
    ['pickup', pickup.processorLog],
    ...makespans.map((m) => [`makespan ${m.processes}`, m.processorLog] as const),
  ] as const) {
    const timed = Object.entries(log).filter(([, c]) => c.timed > 0);
    const outside = Object.values(log).reduce((n, c) => n + c.lines - c.timed, 0);
    say(
      `  processor log (warn+), ${what}: ${timed.length === 0 ? 'nothing' : timed.map(([msg, c]) => `${c.timed}× ${msg}`).join('; ')} while timed; ${outside} line(s) at start/stop`,
    );
  }
  const file = writeResults(env.resultsDir, 'processor', {
    settings: { ...settings, partitions, stackProcessors },
    notes: [
      'pickup = JobStarted.time - JobRequested.time, both read from Kafka (ingress and processor clocks: this machine)',
      'makespan = last JobSucceeded.time of the run - Date.now() just before the first POST',
      `makespan repeats default to 1 for this benchmark (LONGHAUL_BENCH_REPEATS); medians are quoted`,
      `pickup figures are each percentile's median over LONGHAUL_BENCH_PICKUP_WINDOWS timed windows (pickup.windows has each); rhythm, CPU and metrics are from the window with the median p99`,
    ],
    pickup,
    makespan: rows,
    targets,
  });
  say(`results: ${file}`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const m of live) m.child.kill('SIGTERM');
    process.exitCode = 130;
    void Promise.all([...live].map((m) => m.exited)).then(() => process.exit(130));
  });
}

main().catch(async (err: unknown) => {
  process.stderr.write(`bench:processor failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  await stopFleet([...live]);
  process.exit(1);
});
