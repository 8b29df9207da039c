import type { CommonConfig } from '@longhaul/config';
import { topicSpecs, type EachBatchPayload, type TopicSpec } from '@longhaul/kafka';
import { connectInfrastructure, type Infrastructure } from './infrastructure';
import { startConsumerMember } from './consumer-member';
import { closeServer, createOpsHandler, startOpsServer } from './ops-server';
import { runService, type ServiceContext } from './run-service';

type BatchHandler = (payload: EachBatchPayload) => Promise<void>;

/**
 * The shape of a service that consumes one topic as a group member: ops server first (so
 * /healthz answers while it connects), then infrastructure, then the group. Its batch handler
 * is built from the connected infrastructure and the service context.
 */
export function runConsumerService<C extends CommonConfig & { readonly opsPort: number }>(opts: {
  name: string;
  loadConfig: () => C;
  input: (topics: ReturnType<typeof topicSpecs>) => TopicSpec;
  createHandler: (infra: Infrastructure, ctx: ServiceContext, config: C) => BatchHandler;
}): Promise<void> {
  return runService({
    name: opts.name,
    loadConfig: opts.loadConfig,
    logLevel: (c) => c.logLevel,
    shutdownTimeoutMs: (c) => c.shutdownTimeoutMs,
    async start(config, ctx) {
      const ops = await startOpsServer({ host: config.bindHost, port: config.opsPort, handler: createOpsHandler(ctx) });
      ctx.lifecycle.onShutdown('close', 'ops-server', () => closeServer(ops, { forceAfterMs: 1_000 }));
      const input = opts.input(topicSpecs(config));
      const infra = await connectInfrastructure(opts.name, config, [input], ctx);
      await startConsumerMember(
        {
          kafka: infra.kafka,
          groupId: `${config.topicPrefix}${opts.name}`,
          topics: [input.topic],
          eachBatch: opts.createHandler(infra, ctx, config),
        },
        ctx,
      );
    },
  });
}

/**
 * A handler that acknowledges what it reads, counting it: the skeleton every consumer starts
 * from. It resolves offsets one message at a time and stops early when the member is leaving,
 * so a shutdown or rebalance never commits a message that was not handled.
 */
export function acknowledgingHandler(onMessage: (topic: string) => void): BatchHandler {
  return async (payload) => {
    const { batch } = payload;
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale()) return;
      onMessage(batch.topic);
      payload.resolveOffset(message.offset);
    }
    await payload.heartbeat();
  };
}
