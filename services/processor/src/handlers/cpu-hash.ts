import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { JobHandler } from '@longhaul/job-types';

type WorkerMessage = { kind: 'progress'; done: number } | { kind: 'done'; digest: string };

/**
 * `cpu.hash`: CPU-bound work in a worker thread (one per run), terminated at once when the
 * run's signal fires, so a long computation never starves the event loop or outlives a cancel.
 */
export const cpuHash: JobHandler<{ rounds: number }, { rounds: number; digest: string }> = ({ rounds }, ctx) =>
  new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'cpu-hash-worker.js'), { workerData: { rounds } });
    const onAbort = () => {
      void worker.terminate();
      reject(ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('aborted'));
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const settle = () => ctx.signal.removeEventListener('abort', onAbort);
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'progress') ctx.progress((m.done / rounds) * 100, 'hashing');
      else {
        settle();
        resolve({ rounds, digest: m.digest });
      }
    });
    worker.on('error', (err: Error) => {
      settle();
      reject(err);
    });
    worker.on('exit', (code) => {
      settle();
      if (code !== 0 && !ctx.signal.aborted) reject(new Error(`hash worker exited with code ${code}`));
    });
    if (ctx.signal.aborted) onAbort();
  });
