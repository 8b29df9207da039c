import { isTerminal, WaitTimeoutError, type Job, type JobSnapshot, type JobStatus } from '@longhaul/client';
import { Option, type Command } from 'commander';
import type { CommandContext } from '../context';
import { exitCodes } from '../exit-codes';
import { ago, fields, printJson, table } from '../io';
import { fitLine, progressLine, renderBar } from '../progress';
import { intOption, parsePayload, timeOption } from '../settings';

const statuses: readonly JobStatus[] = ['queued', 'running', 'retrying', 'succeeded', 'failed', 'cancelled'];

const resultText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** What a finished job ended with, for people. */
function outcome(job: Pick<JobSnapshot, 'status' | 'result' | 'error'>): string {
  if (job.status === 'succeeded')
    return `succeeded${job.result === undefined || job.result === null ? '' : `: ${resultText(job.result)}`}`;
  const error = job.error ? `: ${job.error.title}${job.error.detail ? ` — ${job.error.detail}` : ''}` : '';
  return `${job.status}${error}`;
}

const codeOf = (status: string) => (status === 'succeeded' ? exitCodes.ok : exitCodes.jobFailed);

function timeoutSignal(ctx: CommandContext, seconds: number | undefined): AbortSignal {
  return seconds === undefined ? ctx.signal : AbortSignal.any([ctx.signal, AbortSignal.timeout(seconds * 1000)]);
}

/**
 * Follow a job's server-sent events to its end: a live bar on a terminal, a line per change
 * otherwise, one JSON object per event with --json. Returns the exit code.
 */
async function follow(ctx: CommandContext, cmd: Command, id: string, timeoutSeconds?: number): Promise<number> {
  const { io } = ctx;
  const json = ctx.json(cmd);
  const live = io.isTTY && !json;
  const signal = timeoutSignal(ctx, timeoutSeconds);
  let last: JobSnapshot | undefined;
  try {
    const events = ctx.client(cmd).jobs.events(id, {
      signal,
      onReconnect: (n) => {
        if (!json) io.err(`${live ? '\n' : ''}connection lost; reconnecting (${n})\n`);
      },
    });
    for await (const event of events) {
      last = event.job;
      if (json) printJson(io, { event: event.type, job: event.job }, true);
      else if (live) io.out(`\r\x1b[2K${fitLine(progressLine(event.job), io.columns)}`);
      else io.out(`${progressLine(event.job)}\n`);
    }
  } catch (err) {
    if (signal.aborted && !ctx.signal.aborted) throw new WaitTimeoutError(id, last, (timeoutSeconds ?? 0) * 1000);
    throw err;
  } finally {
    if (live && last) io.out('\n');
  }
  if (!last || !isTerminal(last.status)) throw new Error(`the event stream of job ${id} ended before the job did`);
  if (!json) io.out(`job ${id} ${outcome(last)}\n`);
  return codeOf(last.status);
}

function showJob(job: Job): string {
  const p = job.progress;
  return fields([
    ['id', job.id],
    ['type', job.type],
    ['status', job.status + (job.cancelRequested && !isTerminal(job.status) ? ' (cancel requested)' : '')],
    [
      'progress',
      p ? `${renderBar(p.percent, 20)}${p.stage ? `  ${p.stage}` : ''}${p.message ? `: ${p.message}` : ''}` : null,
    ],
    ['attempt', job.attempt > 0 ? `${job.attempt} of ${job.maxAttempts}` : null],
    ['next attempt', job.nextAttemptAt],
    ['created', job.createdAt],
    ['started', job.startedAt],
    ['finished', job.finishedAt],
    ['result', job.status === 'succeeded' ? resultText(job.result) : null],
    ['error', job.error ? `${job.error.title}${job.error.detail ? `: ${job.error.detail}` : ''}` : null],
    [
      'failed attempts',
      job.attempts.length > 0 ? job.attempts.map((a) => `#${a.attempt} ${a.error.title}`).join(', ') : null,
    ],
    ['redrive of', job.redriveOf],
    ['redriven as', job.redrivenAs],
  ]);
}

interface SubmitFlags {
  payload: string;
  wait?: boolean;
  idempotencyKey?: string;
  maxAttempts?: number;
  attemptTimeoutMs?: number;
  webhook?: string;
  timeout?: number;
}

export function jobCommands(program: Command, ctx: CommandContext, onResult: (code: number) => void): void {
  const { io } = ctx;

  program
    .command('submit')
    .description('submit a job; prints its id (with --wait, follows it to the end)')
    .argument('<type>', 'job type, e.g. report.generate')
    .requiredOption('-p, --payload <json|@file>', 'the payload: JSON text, @file.json, or @- for standard input')
    .option('-w, --wait', 'follow the job until it ends; exit 1 if it fails or is cancelled')
    .option('--idempotency-key <key>', 'repeat a submission safely (a new key is generated otherwise)')
    .option('--max-attempts <n>', 'attempts before the job fails for good', intOption('--max-attempts', 1, 100))
    .option('--attempt-timeout-ms <ms>', 'time limit of one attempt', intOption('--attempt-timeout-ms', 1, 86_400_000))
    .option('--webhook <url>', "the job's own webhook (signed with the tenant signing secret)")
    .option(
      '--timeout <seconds>',
      'with --wait: give up after this long (exit 7)',
      intOption('--timeout', 1, 86_400 * 7),
    )
    .action(async (type: string, o: SubmitFlags, cmd: Command) => {
      const payload = parsePayload(o.payload, (path) => io.readFile(path));
      const client = ctx.client(cmd);
      const options = {
        ...(o.maxAttempts === undefined ? {} : { maxAttempts: o.maxAttempts }),
        ...(o.attemptTimeoutMs === undefined ? {} : { timeoutMs: o.attemptTimeoutMs }),
      };
      const accepted = await client.jobs.submit(
        {
          type,
          payload,
          ...(Object.keys(options).length > 0 ? { options } : {}),
          ...(o.webhook ? { webhook: { url: o.webhook } } : {}),
        },
        { signal: ctx.signal, ...(o.idempotencyKey ? { idempotencyKey: o.idempotencyKey } : {}) },
      );
      if (!o.wait) {
        if (ctx.json(cmd)) printJson(io, accepted);
        else io.out(`accepted job ${accepted.id} (${accepted.type})\nfollow it: longhaul watch ${accepted.id}\n`);
        return;
      }
      if (ctx.json(cmd)) {
        const signal = timeoutSignal(ctx, o.timeout);
        const job = await client.jobs.wait(accepted.id, { via: 'events', signal }).catch((err: unknown) => {
          throw signal.aborted && !ctx.signal.aborted
            ? new WaitTimeoutError(accepted.id, undefined, (o.timeout ?? 0) * 1000)
            : err;
        });
        printJson(io, job);
        return onResult(codeOf(job.status));
      }
      io.out(`accepted job ${accepted.id} (${accepted.type})\n`);
      onResult(await follow(ctx, cmd, accepted.id, o.timeout));
    });

  program
    .command('status')
    .description("a job's status, progress, result or error")
    .argument('<id>', 'job id')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const job = await ctx.client(cmd).jobs.get(id, { signal: ctx.signal });
      if (ctx.json(cmd)) printJson(io, job);
      else io.out(showJob(job));
    });

  program
    .command('watch')
    .description(
      'follow a job live (server-sent events): progress bar, stage and message, then its result or error; exit 1 if it fails',
    )
    .argument('<id>', 'job id')
    .option('--timeout <seconds>', 'give up after this long (exit 7)', intOption('--timeout', 1, 86_400 * 7))
    .action(async (id: string, o: { timeout?: number }, cmd: Command) => {
      onResult(await follow(ctx, cmd, id, o.timeout));
    });

  program
    .command('list')
    .description("the tenant's jobs, newest first")
    .addOption(new Option('--status <status>', 'only jobs in this status').choices(statuses))
    .option('--type <type>', 'only jobs of this type')
    .option('--since <time>', 'created after: a date-time or a duration back (15m, 2h, 7d)', timeOption('--since'))
    .option('--limit <n>', 'jobs per page (1–100)', intOption('--limit', 1, 100))
    .option('--cursor <cursor>', 'continue from a previous page')
    .option('--all', 'every page, not only the first')
    .action(
      async (
        o: { status?: JobStatus; type?: string; since?: string; limit?: number; cursor?: string; all?: boolean },
        cmd: Command,
      ) => {
        const filter = {
          ...(o.status ? { status: o.status } : {}),
          ...(o.type ? { type: o.type } : {}),
          ...(o.since ? { createdAfter: o.since } : {}),
          ...(o.limit ? { limit: o.limit } : {}),
          ...(o.cursor ? { cursor: o.cursor } : {}),
        };
        const jobs = ctx.client(cmd).jobs;
        const items: Job[] = [];
        let nextCursor: string | null = null;
        for await (const page of jobs.pages(filter, { signal: ctx.signal })) {
          items.push(...page.items);
          nextCursor = page.nextCursor;
          if (!o.all) break;
        }
        if (ctx.json(cmd)) return printJson(io, { items, nextCursor });
        io.out(
          table(
            ['ID', 'TYPE', 'STATUS', 'PROGRESS', 'ATTEMPT', 'CREATED'],
            items.map((j) => [
              j.id,
              j.type,
              j.status,
              j.progress ? `${Math.floor(j.progress.percent)}%` : null,
              j.attempt > 0 ? `${j.attempt}/${j.maxAttempts}` : null,
              ago(j.createdAt),
            ]),
          ),
        );
        if (nextCursor !== null) io.err(`more: add --cursor ${nextCursor} (or --all)\n`);
      },
    );

  program
    .command('cancel')
    .description('ask to cancel a job (exit 3 if it has already finished)')
    .argument('<id>', 'job id')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const job = await ctx.client(cmd).jobs.cancel(id, { signal: ctx.signal });
      if (ctx.json(cmd)) printJson(io, job);
      else io.out(`cancel requested for job ${job.id} (it was ${job.status})\n`);
    });

  program
    .command('wait')
    .description('wait quietly for a job to end (polling as Retry-After asks); exit 1 if it failed')
    .argument('<id>', 'job id')
    .option('--timeout <seconds>', 'give up after this long (exit 7)', intOption('--timeout', 1, 86_400 * 7))
    .addOption(
      new Option('--via <how>', 'poll (as Retry-After asks) or events (SSE)')
        .choices(['poll', 'events'])
        .default('poll'),
    )
    .action(async (id: string, o: { timeout?: number; via: 'poll' | 'events' }, cmd: Command) => {
      const job = await ctx.client(cmd).jobs.wait(id, {
        via: o.via,
        signal: ctx.signal,
        ...(o.timeout === undefined ? {} : { timeoutMs: o.timeout * 1000 }),
      });
      if (ctx.json(cmd)) printJson(io, job);
      else io.out(`job ${job.id} ${outcome({ ...job, error: job.error ?? null })}\n`);
      onResult(codeOf(job.status));
    });
}
