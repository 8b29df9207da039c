import type { EachBatchPayload } from '@longhaul/kafka';
import type { ProcessorMetrics } from './metrics';

/**
 * The batch handler. For now it acknowledges what it reads; the processor issue gives it its real
 * work. It resolves offsets one message at a time and stops early when the member is leaving,
 * so a shutdown or rebalance never commits a message that was not handled.
 */
export function createProcessorBatchHandler(deps: { metrics: ProcessorMetrics }) {
  return async (payload: EachBatchPayload): Promise<void> => {
    const { batch } = payload;
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale()) return;
      deps.metrics.messagesConsumed.inc({ topic: batch.topic });
      payload.resolveOffset(message.offset);
    }
    await payload.heartbeat();
  };
}
