/**
 * The peer a Node team would build instead of Longhaul: a koa endpoint that adds a BullMQ job
 * and answers 202 with its id, and a status read. Started by bench/src/bullmq.ts as its own
 * process (as the ingress is), on PEER_PORT against PEER_REDIS_URL.
 */
import Router from '@koa/router';
import { Queue } from 'bullmq';
import Koa from 'koa';
import { connectionOf } from './redis';

const queue = new Queue('jobs', { connection: connectionOf(process.env['PEER_REDIS_URL'] ?? '') });
const app = new Koa();
const router = new Router();

router.post('/jobs', async (ctx) => {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string; payload: unknown };
  const job = await queue.add(body.type, body.payload, { removeOnComplete: false, attempts: 3 });
  ctx.status = 202;
  ctx.set('location', `/jobs/${job.id}`);
  ctx.body = { id: job.id, status: 'queued' };
});

router.get('/jobs/:id', async (ctx) => {
  const job = await queue.getJob(ctx.params['id'] ?? '');
  if (!job) {
    ctx.status = 404;
    return;
  }
  ctx.body = { id: job.id, status: await job.getState(), timestamp: job.timestamp, processedOn: job.processedOn };
});

app.use(router.routes());
const server = app.listen(Number(process.env['PEER_PORT']), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  void queue.close().then(() => process.exit(0));
});
