import type { DeadLetter, DeadLetterDocument } from '@longhaul/contracts';
import { collections, type Db } from '@longhaul/mongo';

export interface DeadLetterStore {
  /** Keep the letter for the admin API; idempotent (a re-publication writes nothing new). */
  record(letter: DeadLetter): Promise<void>;
}

export function createDeadLetterStore(db: Db): DeadLetterStore {
  const letters = db.collection<DeadLetterDocument>(collections.deadLetters);
  return {
    async record(letter) {
      const doc: DeadLetterDocument = {
        _id: letter.jobId === '' ? letter.eventId : letter.jobId,
        eventId: letter.eventId,
        jobId: letter.jobId,
        tenant: letter.tenant,
        type: letter.jobType,
        reason: letter.reason,
        errors: letter.errors,
        request: letter.request,
        source: letter.source && {
          topic: letter.source.topic,
          partition: letter.source.partition,
          offset: letter.source.offset,
        },
        deadLetteredAt: new Date(letter.time),
      };
      const { _id, ...fields } = doc;
      await letters.updateOne({ _id }, { $setOnInsert: fields }, { upsert: true });
    },
  };
}
