import Router from '@koa/router';
import { readGroupLag, type Admin, type PartitionLag } from '@longhaul/kafka';
import { HttpProblem } from '../problem';
import type { ApiState } from './auth';

export interface LagRoutesDeps {
  /** The ingress's connected Kafka admin client. */
  readonly admin: Admin;
  /** The requests topic and the processors' consumer group (what KEDA's Kafka scaler watches). */
  readonly topic: string;
  readonly groupId: string;
  readonly timeoutMs?: number;
}

function withDeadline<T>(op: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Kafka within ${ms} ms`)), ms);
  });
  return Promise.race([op, deadline]).finally(() => clearTimeout(timer));
}

/** `GET /v1/admin/lag` (admin keys only): the processors' lag on the requests topic, per partition. */
export function lagRoutes(deps: LagRoutesDeps): Router<ApiState> {
  const router = new Router<ApiState>();
  const timeoutMs = deps.timeoutMs ?? 10_000;

  router.get('/v1/admin/lag', async (ctx) => {
    let partitions: readonly PartitionLag[];
    try {
      const lag = await withDeadline(
        readGroupLag(deps.admin, { consumer: 'processor', groupId: deps.groupId, topics: [deps.topic] }),
        timeoutMs,
      );
      partitions = lag.partitions;
    } catch (err) {
      throw new HttpProblem('unavailable', 'Kafka did not answer for the lag; retry', {
        headers: { 'Retry-After': '2' },
        cause: err,
      });
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      topic: deps.topic,
      group: deps.groupId,
      partitions: partitions.map(({ topic: _topic, ...p }) => p),
      totalLag: partitions.reduce((sum, p) => sum + p.lag, 0),
      measuredAt: new Date().toISOString(),
    };
  });

  return router;
}
