import { randomBytes } from 'node:crypto';
import { PoisonMessageError, type EventCodec, type JobStateChanged } from '@longhaul/contracts';
import { createConsumerRunner, type ConsumerRunner, type Kafka } from '@longhaul/kafka';
import type { Logger } from '@longhaul/runtime';

export type StateListener = (change: JobStateChanged) => void;

export interface StateFollower {
  /** Hear every change of one job from now on; returns the unsubscribe. */
  subscribe(jobId: string, listener: StateListener): () => void;
  /** Streams open now. */
  size(): number;
  stop(): Promise<void>;
}

/**
 * Every ingress process follows the projector's changelog (`jobs.state`) from its end, as its
 * own consumer group (nothing committed), and hands each change to the SSE streams open on that
 * job. A change only exists once the read model has it, so a stream never runs ahead of `GET`.
 */
export async function startStateFollower(opts: {
  kafka: Kafka;
  codec: EventCodec;
  topic: string;
  groupPrefix: string;
  logger: Logger;
}): Promise<StateFollower & { runner: ConsumerRunner }> {
  const listeners = new Map<string, Set<StateListener>>();
  let open = 0;
  const runner = createConsumerRunner({
    kafka: opts.kafka,
    // Its own group, so every replica sees every change; it reads from the end and commits nothing.
    groupId: `${opts.groupPrefix}ingress-sse-${randomBytes(6).toString('hex')}`,
    topics: [opts.topic],
    fromBeginning: false,
    autoCommit: false,
    config: { maxWaitTimeInMs: 50 },
    logger: opts.logger,
    onFatal: (err) => opts.logger.error({ err }, 'the changelog follower stopped; SSE streams get no changes'),
    async eachBatch(payload) {
      const { batch } = payload;
      for (const message of batch.messages) {
        if (!payload.isRunning()) return;
        // Keyed by job id: only a change of a job someone follows is decoded.
        if (listeners.has(message.key?.toString() ?? '')) {
          try {
            const event = await opts.codec.decode(message);
            if (event.eventType === 'JobStateChanged') for (const l of listeners.get(event.jobId) ?? []) l(event);
          } catch (err) {
            if (!(err instanceof PoisonMessageError)) throw err;
            opts.logger.warn({ offset: message.offset, reason: err.message }, 'skipped a changelog message');
          }
        }
        payload.resolveOffset(message.offset);
      }
      await payload.heartbeat();
    },
  });
  await runner.start();
  return {
    runner,
    subscribe(jobId, listener) {
      const set = listeners.get(jobId) ?? new Set();
      set.add(listener);
      listeners.set(jobId, set);
      open++;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        open--;
        set.delete(listener);
        if (set.size === 0) listeners.delete(jobId);
      };
    },
    size: () => open,
    stop: () => runner.stop(),
  };
}
