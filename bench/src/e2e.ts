/**
 * bench:e2e — end to end through the public API, and the services' memory: accepted → terminal
 * state visible through GET /v1/jobs/{id} for `sleep` jobs of 0 ms (each of 16 clients submits,
 * then polls every 10 ms until the job is final, then submits the next), for
 * LONGHAUL_BENCH_SECONDS × 3; and the resident memory (RSS) of every service process of the
 * stack idle (before) and under that load (the most seen, sampled every 250 ms).
 */
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { terminalStatuses, type JobStatus } from '@longhaul/contracts';
import { stackSnapshot } from './processes';
import { benchEnv, percentile, runMain, writeResults } from './results';

const env = benchEnv();
const headers = { authorization: `Bearer ${env.apiKey}`, 'content-type': 'application/json' };
/** The stack's service processes, as `stackSnapshot` names them (every processor is 'processors'). */
const SERVICES = new Set(['ingress', 'processors', 'projector', 'notifier']);

const rssMiB = (pid: number): number => {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb ? Math.round(Number(kb) / 1024) : NaN;
};

function memory(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [pid, { component }] of stackSnapshot()) {
    if (SERVICES.has(component)) out[component] = Math.max(out[component] ?? 0, rssMiB(pid));
  }
  return out;
}

async function oneJob(): Promise<number> {
  const res = await fetch(`${env.apiUrl}/v1/jobs`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ type: 'sleep', payload: { ms: 0 } }),
  });
  if (res.status !== 202) throw new Error(`POST /v1/jobs answered ${res.status}`);
  const accepted = performance.now();
  const { id } = (await res.json()) as { id: string };
  for (;;) {
    const got = await fetch(`${env.apiUrl}/v1/jobs/${id}`, { headers });
    const { status } = (await got.json()) as { status: JobStatus };
    if (terminalStatuses.has(status)) return performance.now() - accepted;
    await delay(10);
  }
}

async function main() {
  await delay(3_000);
  const idle = memory();
  console.log(`RSS idle (MiB): ${JSON.stringify(idle)}`);
  const peak: Record<string, number> = {};
  const sampler = setInterval(() => {
    for (const [s, v] of Object.entries(memory())) peak[s] = Math.max(peak[s] ?? 0, v);
  }, 250);
  const seconds = env.seconds * 3;
  const end = Date.now() + seconds * 1000;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (Date.now() < end) latencies.push(await oneJob());
    }),
  );
  clearInterval(sampler);
  latencies.sort((a, b) => a - b);
  const e2e = {
    jobs: latencies.length,
    perSecond: Math.round(latencies.length / seconds),
    p50Ms: Math.round(percentile(latencies, 50)),
    p90Ms: Math.round(percentile(latencies, 90)),
    p99Ms: Math.round(percentile(latencies, 99)),
  };
  console.log(`accepted → final through GET: ${JSON.stringify(e2e)}`);
  console.log(`RSS under load, peak (MiB): ${JSON.stringify(peak)}`);
  const file = writeResults(env.resultsDir, 'e2e', {
    settings: { clients: 16, pollMs: 10, seconds, job: { type: 'sleep', payload: { ms: 0 } } },
    e2e,
    memoryMiB: { idle, underLoad: peak },
  });
  console.log(`results: ${file}`);
}

runMain('e2e', main);
