import { LonghaulError, LonghaulNetworkError, WaitTimeoutError } from '@longhaul/client';
import { CommanderError, InvalidArgumentError } from 'commander';

/** What the command's exit status means (docs/cli.md lists them for scripts). */
export const exitCodes = {
  ok: 0,
  /** The job ended failed or cancelled (submit --wait, watch, wait). */
  jobFailed: 1,
  /** The command line was wrong: unknown command or option, bad value, unreadable payload, no key. */
  usage: 2,
  /** The API refused the request (a problem document other than those below: 400, 409, 422 …). */
  api: 3,
  /** The job, subscription, delivery, dead letter or job type does not exist (404). */
  notFound: 4,
  /** The key was missing, wrong or not allowed here (401, 403). */
  auth: 5,
  /** The API could not be reached, did not answer in time, or was unavailable (503): retrying may help. */
  unavailable: 6,
  /** `--timeout` passed before the job ended. */
  timeout: 7,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
} as const;

/**
 * A mistake on the command line: a bad option value (commander reports it with the option's
 * name) or one found later (a payload that is not JSON, a missing key).
 */
export class UsageError extends InvalidArgumentError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError) return exitCodes.usage;
  if (err instanceof CommanderError) {
    return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? exitCodes.ok : exitCodes.usage;
  }
  if (err instanceof WaitTimeoutError) return exitCodes.timeout;
  if (err instanceof LonghaulNetworkError) return exitCodes.unavailable;
  if (err instanceof LonghaulError) {
    if (err.status === 404) return exitCodes.notFound;
    if (err.status === 401 || err.status === 403) return exitCodes.auth;
    if (err.status === 503 || err.status === 502 || err.status === 504) return exitCodes.unavailable;
    return exitCodes.api;
  }
  return exitCodes.api;
}

/** One line for people; a problem's field errors follow, one per line. */
export function describeError(err: unknown): string {
  if (err instanceof LonghaulError) {
    const lines = [`${err.title} (${err.status})${err.detail ? `: ${err.detail}` : ''}`];
    for (const e of err.errors) lines.push(`  ${e.pointer || '/'}: ${e.message}`);
    if (err.status === 401)
      lines.push('  check --key / LONGHAUL_API_KEY (admin commands: --admin-key / LONGHAUL_ADMIN_KEY)');
    return lines.join('\n');
  }
  if (err instanceof LonghaulNetworkError) {
    return `cannot reach the API: ${err.message} (check --url / LONGHAUL_API_URL)`;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}
