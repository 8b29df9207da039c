/**
 * The worker thread behind `cpu.hash`: chained SHA-256 rounds, reporting progress every 5%.
 * It runs off the processor's event loop, so heartbeats, lease renewals and other jobs go on.
 */
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

const { rounds } = workerData as { rounds: number };
let digest = Buffer.alloc(32);
const every = Math.max(1, Math.floor(rounds / 20));
for (let i = 1; i <= rounds; i++) {
  digest = createHash('sha256').update(digest).digest();
  if (i % every === 0 && i < rounds) parentPort?.postMessage({ kind: 'progress', done: i });
}
parentPort?.postMessage({ kind: 'done', digest: digest.toString('hex') });
