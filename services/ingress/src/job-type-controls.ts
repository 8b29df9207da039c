import type { JobTypeControlDocument } from '@longhaul/contracts';
import { collections, type Db } from '@longhaul/mongo';

export interface JobTypeControls {
  set(type: string, paused: boolean, reason: string | null): Promise<JobTypeControlDocument>;
  list(): Promise<JobTypeControlDocument[]>;
}

/** Pause switches per job type (ingress writes them; processors read them). */
export function createJobTypeControls(db: Db): JobTypeControls {
  const controls = db.collection<JobTypeControlDocument>(collections.jobTypeControls);
  return {
    async set(type, paused, reason) {
      const doc: JobTypeControlDocument = { _id: type, paused, reason, updatedAt: new Date() };
      await controls.replaceOne({ _id: type }, doc, { upsert: true });
      return doc;
    },
    list: () => controls.find({}).toArray(),
  };
}
