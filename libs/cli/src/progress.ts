import type { JobSnapshot } from '@longhaul/client';

/** `[########------------]  40%`: a bar of `width` cells for a percentage (clamped to 0–100). */
export function renderBar(percent: number, width = 30): string {
  const p = Math.max(0, Math.min(100, Number.isFinite(percent) ? percent : 0));
  const filled = Math.round((p / 100) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(p)).padStart(3)}%`;
}

/** The line `watch` shows for a job's state: bar, status, stage and message. */
export function progressLine(
  job: Pick<JobSnapshot, 'status' | 'progress' | 'attempt' | 'maxAttempts'>,
  width = 30,
): string {
  const percent = job.status === 'succeeded' ? 100 : (job.progress?.percent ?? 0);
  const parts = [renderBar(percent, width), job.status];
  if (job.attempt > 1) parts.push(`attempt ${job.attempt}${job.maxAttempts ? `/${job.maxAttempts}` : ''}`);
  const stage = job.progress?.stage;
  const message = job.progress?.message;
  if (stage || message) parts.push([stage, message].filter(Boolean).join(': '));
  return parts.join('  ');
}

/** Cut a line to the terminal's width so redrawing it with \r never wraps. */
export function fitLine(line: string, columns: number): string {
  return columns > 0 && line.length > columns - 1 ? `${line.slice(0, Math.max(0, columns - 2))}…` : line;
}
