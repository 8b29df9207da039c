import type { EventCodec } from '@longhaul/contracts';
import type { Publish } from '@longhaul/kafka';
import type { DeliveryResult } from '@longhaul/outbound';
import type { PendingDelivery } from './delivery-store';

/**
 * Put a delivery whose every attempt failed on the webhook dead-letter topic, keyed by its job.
 * The body carries the job's snapshot (no secret: signatures are made per attempt, not kept).
 */
export async function publishDeadLetter(
  deps: { codec: EventCodec; publish: Publish },
  d: PendingDelivery,
  attempts: number,
  last: DeliveryResult,
): Promise<void> {
  const data = (JSON.parse(d.body) as { data?: { type?: unknown; attempt?: unknown; sequence?: unknown } }).data ?? {};
  const message = await deps.codec.encode({
    eventId: d._id,
    eventType: 'WebhookDeadLettered',
    jobId: d.jobId,
    tenant: d.tenant,
    jobType: typeof data.type === 'string' ? data.type : '',
    attempt: typeof data.attempt === 'number' ? data.attempt : 0,
    epoch: 0,
    sequence: typeof data.sequence === 'number' ? data.sequence : 0,
    time: Date.now(),
    subscriptionId: d.subscriptionId,
    url: d.url,
    webhookEventType: d.eventType,
    body: d.body,
    attempts,
    lastStatus: last.status,
    lastError: last.error,
  });
  await deps.publish(message);
}
