import type { JobTypeControlDocument } from '@longhaul/contracts';
import { collections, type Db } from '@longhaul/mongo';
import type { Logger } from '@longhaul/runtime';

export interface PausedTypes {
  isPaused(type: string): boolean;
  stop(): void;
}

/**
 * Which job types an operator paused (ingress's `job_type_controls`), read every `everyMs`:
 * every processor sees a pause or resume within that. A failed read keeps what it knew.
 */
export async function watchPausedTypes(deps: { db: Db; everyMs: number; logger: Logger }): Promise<PausedTypes> {
  const controls = deps.db.collection<JobTypeControlDocument>(collections.jobTypeControls);
  let paused = new Set<string>();
  const read = async () => {
    try {
      const docs = await controls.find({ paused: true }, { projection: { _id: 1 } }).toArray();
      const next = new Set(docs.map((d) => d._id));
      for (const t of next) if (!paused.has(t)) deps.logger.info({ type: t }, 'job type paused');
      for (const t of paused) if (!next.has(t)) deps.logger.info({ type: t }, 'job type resumed');
      paused = next;
    } catch (err) {
      deps.logger.warn({ err }, 'reading paused job types failed; keeping the last known');
    }
  };
  await read();
  const timer = setInterval(() => void read(), deps.everyMs);
  return { isPaused: (type) => paused.has(type), stop: () => clearInterval(timer) };
}
