import type { EventCodec } from '@longhaul/contracts';
import type { Publish } from '@longhaul/kafka';
import type { DeadLetterStore } from './dead-letter-store';
import type { OwedMessage } from './run-store';

/**
 * Encode and publish owed messages in order (one job's events keep their order on its
 * partition). A dead letter is stored for the admin API first, so every letter on the topic
 * can be listed and redriven.
 */
export interface OwedSink {
  readonly codec: EventCodec;
  readonly publish: Publish;
  readonly deadLetters: DeadLetterStore;
}

export async function publishOwed(
  deps: OwedSink,
  owed: readonly OwedMessage[],
  traceHeaders: Record<string, string> = {},
): Promise<void> {
  for (const m of owed) {
    if (m.event.eventType === 'DeadLetter') await deps.deadLetters.record(m.event);
    const encoded = await deps.codec.encode(m.event, { ...traceHeaders, ...m.headers });
    await deps.publish(m.topic ? { ...encoded, topic: m.topic } : encoded);
  }
}

/**
 * Retry an operation that must happen (store an outcome, publish what is owed) through
 * infrastructure outages, with capped backoff, until it succeeds or `giveUp()` says the caller
 * no longer needs it (shutdown, lease lost). Returns false when it gave up. An error
 * `retryable` refuses is thrown at once (by default every error is retried).
 */
export async function persist(
  op: () => Promise<void>,
  opts: { giveUp: () => boolean; onError: (err: unknown) => void; retryable?: (err: unknown) => boolean },
): Promise<boolean> {
  for (let delay = 200; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      await op();
      return true;
    } catch (err) {
      if (opts.retryable && !opts.retryable(err)) throw err;
      opts.onError(err);
      if (opts.giveUp()) return false;
      await new Promise((r) => setTimeout(r, delay));
      if (opts.giveUp()) return false;
    }
  }
}
