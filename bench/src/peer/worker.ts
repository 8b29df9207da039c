/**
 * The peer's worker: a BullMQ Worker running `sleep` jobs (`payload.ms`) at PEER_CONCURRENCY,
 * the processor's per-process concurrency. Started as its own process, 1, 2 or 4 of them.
 */
import { Worker } from 'bullmq';
import { connectionOf } from './redis';

const worker = new Worker(
  'jobs',
  async (job) => {
    const { ms } = job.data as { ms: number };
    await new Promise((r) => setTimeout(r, ms));
    return { slept: ms };
  },
  {
    connection: connectionOf(process.env['PEER_REDIS_URL'] ?? ''),
    concurrency: Number(process.env['PEER_CONCURRENCY'] ?? '16'),
  },
);
worker.on('ready', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => void worker.close().then(() => process.exit(0)));
