/**
 * bench:bullmq — the peer a Node team would pick instead of Longhaul, on the same machine and
 * workload as bench:ingress and bench:processor: a koa endpoint that adds a BullMQ job and
 * answers 202, BullMQ workers (concurrency 16 per process, as the processor) running `sleep`
 * jobs, a status read. Redis comes from Debian's packages (append-only file, fsync every second).
 *
 * Measured: accepted/s and POST p50/p99 at 1, 16 and 64 clients (no worker running); pickup
 * (added → processing) p50/p90/p99 at 200 jobs/s on one worker; makespan of 2,000 × 500 ms jobs
 * on 1, 2 and 4 worker processes and the speedups; status reads/s at 16 clients.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startRedisComponent } from '@longhaul/local-stack';
import autocannon from 'autocannon';
import { Queue } from 'bullmq';
import { connectionOf } from './peer/redis';
import { median, numberSetting, percentile, runMain, writeResults } from './results';
import { freePort } from './service-process';

const seconds = numberSetting('LONGHAUL_BENCH_SECONDS', 5);
const repeats = numberSetting('LONGHAUL_BENCH_REPEATS', 3);
const resultsDir = process.env['LONGHAUL_BENCH_RESULTS_DIR'] ?? join(__dirname, '..', 'results');
const dataDir = process.env['LONGHAUL_BENCH_DATA_DIR'] ?? join(__dirname, '..', '..', '.longhaul', 'bench');
const cacheDir = process.env['LONGHAUL_BENCH_CACHE_DIR'] ?? join(process.env['HOME'] ?? '/root', '.cache', 'longhaul');

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

function startNode(file: string, env: NodeJS.ProcessEnv): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, [join(__dirname, 'peer', file)], {
    env: { PATH: process.env['PATH'], ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  const ready = new Promise<void>((resolve) => {
    child.stdout?.on('data', (b: Buffer) => {
      if (b.toString().includes('ready')) resolve();
    });
  });
  return { child, ready };
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, delay(10_000).then(() => child.kill('SIGKILL'))]);
}

async function main() {
  const redis = await startRedisComponent(join(dataDir, 'redis'), cacheDir);
  const redisUrl = redis.endpoint;
  const port = await freePort();
  const api = `http://127.0.0.1:${port}`;
  const server = startNode('server.js', { PEER_PORT: String(port), PEER_REDIS_URL: redisUrl });
  const queue = new Queue('jobs', { connection: connectionOf(redisUrl) });
  try {
    for (let i = 0; ; i++) {
      const res = await fetch(`${api}/jobs/none`).catch(() => undefined);
      if (res?.status === 404) break;
      if (i > 100) throw new Error('the peer server did not start');
      await delay(100);
    }

    const accept = [];
    for (const connections of [1, 16, 64]) {
      const runs = [];
      for (let r = 0; r < repeats; r++) runs.push(await postRun(api, connections));
      const rate = median(runs.map((x) => x.acceptedPerSecond));
      const mid = runs.find((x) => x.acceptedPerSecond === rate) ?? runs[0]!;
      accept.push({ connections, acceptedPerSecond: Math.round(rate), p50Ms: mid.p50Ms, p99Ms: mid.p99Ms, runs });
      console.log(`accept  ${connections} clients: ${Math.round(rate)}/s, p50 ${mid.p50Ms} ms, p99 ${mid.p99Ms} ms`);
    }
    const someId = (await queue.getJobs(['wait'], 0, 0))[0]?.id ?? '1';
    const reads = await autocannon({ url: `${api}/jobs/${someId}`, connections: 16, duration: seconds });
    const statusReads = {
      perSecond: Math.round(reads['2xx'] / seconds),
      p50Ms: reads.latency.p50,
      p99Ms: reads.latency.p99,
    };
    console.log(`status reads (16 clients): ${statusReads.perSecond}/s, p99 ${statusReads.p99Ms} ms`);

    const pickup = await measurePickup(api, queue, redisUrl);
    const makespans: Awaited<ReturnType<typeof measureMakespan>>[] = [];
    for (const n of [1, 2, 4]) makespans.push(await measureMakespan(api, queue, redisUrl, n));
    const t = (n: number) => makespans.find((m) => m.workers === n)!.makespanMs;
    const speedup = { at2: +(t(1) / t(2)).toFixed(2), at4: +(t(1) / t(4)).toFixed(2) };
    console.log(`speedup: ${speedup.at2}x at 2, ${speedup.at4}x at 4`);
    const file = writeResults(resultsDir, 'bullmq', {
      settings: {
        seconds,
        repeats,
        redis: 'Debian redis-server, appendonly yes, appendfsync everysec',
        concurrency: 16,
      },
      accept,
      statusReads,
      pickup,
      makespans,
      speedup,
    });
    console.log(`results: ${file}`);
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await stop(server.child);
    await redis.stop();
  }
}

async function postRun(api: string, connections: number) {
  const r = await autocannon({
    url: `${api}/jobs`,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'sleep', payload: { ms: 1 } }),
  });
  return { acceptedPerSecond: r['2xx'] / seconds, p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx };
}

async function post(api: string, ms: number): Promise<string> {
  const res = await fetch(`${api}/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'sleep', payload: { ms } }),
  });
  if (res.status !== 202) throw new Error(`POST /jobs answered ${res.status}`);
  return ((await res.json()) as { id: string }).id;
}

async function startWorkers(n: number, redisUrl: string) {
  const workers = Array.from({ length: n }, () =>
    startNode('worker.js', { PEER_REDIS_URL: redisUrl, PEER_CONCURRENCY: '16' }),
  );
  await Promise.all(workers.map((w) => w.ready));
  return workers.map((w) => w.child);
}

async function waitFinished(queue: Queue, ids: readonly string[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await queue.getJobCounts('completed', 'failed');
    if ((counts['completed'] ?? 0) + (counts['failed'] ?? 0) >= ids.length) break;
    if (Date.now() > deadline) throw new Error(`jobs not finished within ${timeoutMs} ms`);
    await delay(100);
  }
  return (await Promise.all(ids.map((id) => queue.getJob(id)))).filter((j) => j !== undefined);
}

/** Open loop at 200 jobs/s for 15 s (after 3 s not counted) on one worker: added → processing. */
async function measurePickup(api: string, queue: Queue, redisUrl: string) {
  await queue.obliterate({ force: true });
  const [worker] = await startWorkers(1, redisUrl);
  const rate = 200;
  const warm = 3 * rate;
  const total = warm + 15 * rate;
  const t0 = performance.now();
  const pending: Promise<string>[] = [];
  while (pending.length < total) {
    const due = Math.min(total, Math.floor((performance.now() - t0) / (1000 / rate)) + 1);
    while (pending.length < due) pending.push(post(api, 0));
    await delay(Math.max(0, t0 + (pending.length * 1000) / rate - performance.now()));
  }
  const ids = (await Promise.all(pending)).slice(warm);
  const jobs = await waitFinished(queue, await Promise.all(pending), 120_000);
  const counted = new Set(ids);
  const waits = jobs
    .filter((j) => counted.has(j.id ?? ''))
    .map((j) => (j.processedOn ?? NaN) - j.timestamp)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  await stop(worker!);
  const out = {
    rate,
    jobs: waits.length,
    p50Ms: percentile(waits, 50),
    p90Ms: percentile(waits, 90),
    p99Ms: percentile(waits, 99),
  };
  console.log(`pickup at ${rate}/s: p50 ${out.p50Ms} ms, p90 ${out.p90Ms} ms, p99 ${out.p99Ms} ms`);
  return out;
}

/** 2,000 jobs of 500 ms from 32 clients on `n` workers: first POST → last finished. */
async function measureMakespan(api: string, queue: Queue, redisUrl: string, n: number) {
  await queue.obliterate({ force: true });
  const workers = await startWorkers(n, redisUrl);
  const count = 2_000;
  const started = Date.now();
  const ids: string[] = [];
  let taken = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (taken < count) {
        taken++;
        ids.push(await post(api, 500));
      }
    }),
  );
  const jobs = await waitFinished(queue, ids, 600_000);
  const last = Math.max(...jobs.map((j) => j.finishedOn ?? 0));
  await Promise.all(workers.map(stop));
  const makespanMs = last - started;
  const idealMs = (count * 500) / (16 * n);
  console.log(
    `makespan on ${n} worker(s): ${(makespanMs / 1000).toFixed(1)} s (ideal ${(idealMs / 1000).toFixed(1)} s)`,
  );
  return { workers: n, jobs: count, makespanMs, idealMs, efficiency: +(idealMs / makespanMs).toFixed(2) };
}

runMain('bullmq', main);
