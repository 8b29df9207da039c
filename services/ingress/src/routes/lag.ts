import Router from '@koa/router';
import type { Admin } from '@longhaul/kafka';
import { HttpProblem } from '../problem';
import type { ApiState } from './auth';

export interface LagRoutesDeps {
  /** The ingress's connected Kafka admin client. */
  readonly admin: Pick<Admin, 'fetchTopicOffsets' | 'fetchOffsets'>;
  /** The requests topic and the processors' consumer group (what KEDA's Kafka scaler watches). */
  readonly topic: string;
  readonly groupId: string;
  readonly timeoutMs?: number;
}

export interface PartitionLag {
  readonly partition: number;
  readonly startOffset: string;
  readonly endOffset: string;
  /** null when the group has committed nothing on the partition yet. */
  readonly committedOffset: string | null;
  readonly lag: number;
}

/**
 * Lag per partition as the group sees it. Without a committed offset the group starts from the
 * earliest message (the processor subscribes from the beginning), so everything kept is lag —
 * what KEDA counts with `offsetResetPolicy: earliest`.
 */
export function partitionLags(
  ends: readonly { partition: number; high: string; low: string }[],
  committed: readonly { partition: number; offset: string }[],
): PartitionLag[] {
  const byPartition = new Map(committed.map((c) => [c.partition, c.offset]));
  return [...ends]
    .sort((a, b) => a.partition - b.partition)
    .map((p) => {
      const raw = byPartition.get(p.partition);
      const committedOffset = raw === undefined || BigInt(raw) < 0n ? null : raw;
      const from = committedOffset === null ? BigInt(p.low) : BigInt(committedOffset);
      const lag = BigInt(p.high) - from;
      return {
        partition: p.partition,
        startOffset: p.low,
        endOffset: p.high,
        committedOffset,
        lag: Number(lag > 0n ? lag : 0n),
      };
    });
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
    let partitions: PartitionLag[];
    try {
      const [ends, groups] = await withDeadline(
        Promise.all([
          deps.admin.fetchTopicOffsets(deps.topic),
          deps.admin.fetchOffsets({ groupId: deps.groupId, topics: [deps.topic] }),
        ]),
        timeoutMs,
      );
      partitions = partitionLags(ends, groups.find((g) => g.topic === deps.topic)?.partitions ?? []);
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
      partitions,
      totalLag: partitions.reduce((sum, p) => sum + p.lag, 0),
      measuredAt: new Date().toISOString(),
    };
  });

  return router;
}
