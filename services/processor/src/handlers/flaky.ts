import { abortableDelay, type JobHandler } from '@longhaul/job-types';

/** `flaky`: attempts 1…failTimes fail (retriably) after `ms`; the next one succeeds. */
export const flaky: JobHandler<{ failTimes: number; ms?: number }, { succeededOnAttempt: number }> = async (
  { failTimes, ms = 0 },
  ctx,
) => {
  await abortableDelay(ms, ctx.signal);
  if (ctx.attempt <= failTimes) throw new Error(`planned failure ${ctx.attempt} of ${failTimes}`);
  return { succeededOnAttempt: ctx.attempt };
};
