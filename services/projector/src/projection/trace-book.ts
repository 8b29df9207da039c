import { tracingEnabled, type IncomingHeaders } from '@longhaul/telemetry';

/**
 * The trace context each event arrived with, by event id, while its batch is in hand: the state
 * change an event causes is announced under that context. Empty while tracing is off.
 */
export function createTraceBook() {
  const byEvent = new Map<string, IncomingHeaders>();
  return {
    note(eventId: string, headers: IncomingHeaders | undefined): void {
      if (headers && tracingEnabled()) byEvent.set(eventId, headers);
    },
    of: (eventId: string): IncomingHeaders | undefined => byEvent.get(eventId),
    forget(eventIds: readonly string[]): void {
      if (byEvent.size > 0) for (const id of eventIds) byEvent.delete(id);
    },
  };
}

export type TraceBook = ReturnType<typeof createTraceBook>;
