import { abortableDelay, type JobHandler } from '@longhaul/job-types';

export interface ReportRun {
  attempt: number;
  epoch: number;
  fromStep: number;
}

export interface ReportCheckpoint {
  /** The first step not yet done. */
  nextStep: number;
  runs: ReportRun[];
}

/**
 * `report.generate`: `steps` steps of `stepMs`, a checkpoint after each. A run starts from the
 * newest checkpoint and records itself in it at once, so the result lists every run and where
 * it started — the proof that a crash or a hand-off did not start the report over.
 */
export const reportGenerate: JobHandler<
  { steps: number; stepMs: number },
  { steps: number; runs: ReportRun[] },
  ReportCheckpoint
> = async ({ steps, stepMs }, ctx) => {
  const fromStep = Math.min(ctx.lastCheckpoint?.nextStep ?? 0, steps);
  const runs = [...(ctx.lastCheckpoint?.runs ?? []), { attempt: ctx.attempt, epoch: ctx.epoch, fromStep }];
  await ctx.checkpoint({ nextStep: fromStep, runs }, `run ${runs.length} starts at step ${fromStep}`);
  for (let step = fromStep; step < steps; step++) {
    ctx.progress((step / steps) * 100, `step ${step + 1} of ${steps}`);
    await abortableDelay(stepMs, ctx.signal);
    await ctx.checkpoint({ nextStep: step + 1, runs }, `${step + 1} of ${steps} steps done`);
  }
  ctx.progress(100, 'done');
  return { steps, runs };
};
