import { abortableDelay, type JobHandler } from '@longhaul/job-types';

/** `sleep`: waits, then succeeds. Stops at once when its signal fires. */
export const sleep: JobHandler<{ ms: number }, { sleptMs: number }> = async ({ ms }, ctx) => {
  await abortableDelay(ms, ctx.signal);
  return { sleptMs: ms };
};
