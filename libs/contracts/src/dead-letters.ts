import type { AttemptError } from './events';

/**
 * A dead letter as the processor stores it (collection `dead_letters`) beside the copy on the
 * dead-letter topic, so the admin API can list, show and redrive it. Declared here because the
 * processor writes it and ingress reads it. `_id` is the job id, or the letter's event id for
 * a poison message that named no job.
 */
export interface DeadLetterDocument {
  _id: string;
  eventId: string;
  jobId: string;
  tenant: string;
  type: string;
  reason: string;
  errors: AttemptError[];
  /** What a redrive needs; null for a message that could not be decoded (nothing to run again). */
  request: { payload: string; maxAttempts: number; timeoutMs: number } | null;
  /** Where a poison message was read (its bytes stay on the dead-letter topic). */
  source: { topic: string; partition: number; offset: string } | null;
  deadLetteredAt: Date;
}
