import { kedaReplicas, type DeadLetter } from '@longhaul/client';
import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { ago, fields, printJson, table } from '../io';
import { intOption, timeOption } from '../settings';

function showLetter(l: DeadLetter): string {
  const head = fields([
    ['id', l.id],
    ['job', l.jobId],
    ['tenant', l.tenant],
    ['type', l.type],
    ['reason', l.reason],
    ['dead-lettered', l.deadLetteredAt],
    [
      'request',
      l.request
        ? `maxAttempts ${l.request.maxAttempts}, timeoutMs ${l.request.timeoutMs}, payload ${l.request.payloadBytes} bytes`
        : null,
    ],
    ['source', l.source ? `${l.source.topic}[${l.source.partition}]@${l.source.offset}` : null],
    ['redrivable', l.redrivable ? 'yes' : 'no'],
    ['redriven as', l.redrivenAs],
  ]);
  const errors = l.errors.map(
    (e) =>
      `  attempt ${e.attempt} at ${e.time}: ${e.error.title}${e.error.detail ? `: ${e.error.detail}` : ''}${e.error.retriable ? '' : ' (not retriable)'}`,
  );
  return errors.length > 0 ? `${head}errors:\n${errors.join('\n')}\n` : head;
}

interface LagFlags {
  lagThreshold: number;
  activationLagThreshold: number;
  minReplicas: number;
  maxReplicas: number;
}

export function operatorCommands(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  const env = io.env;
  const admin = (cmd: Command) => ctx.client(cmd, 'admin').admin;

  const letters = program
    .command('dead-letters')
    .description('jobs that failed for good: list, show, redrive (admin key)');
  letters
    .command('list')
    .description('dead letters, newest first')
    .option('--tenant <tenant>', 'only this tenant’s')
    .option('--type <type>', 'only this job type’s')
    .option('--before <time>', 'only older than this (date-time, or 1h, 2d …)', timeOption('--before'))
    .option('--limit <n>', 'at most this many (1–200)', intOption('--limit', 1, 200))
    .action(async (o: { tenant?: string; type?: string; before?: string; limit?: number }, cmd: Command) => {
      const items = await admin(cmd).deadLetters(o, { signal: ctx.signal });
      if (ctx.json(cmd)) return printJson(io, { items });
      io.out(
        table(
          ['JOB', 'TENANT', 'TYPE', 'ATTEMPTS', 'LAST ERROR', 'WHEN', 'REDRIVEN AS'],
          items.map((l) => [
            l.jobId ?? l.id,
            l.tenant,
            l.type,
            l.errors.length,
            l.errors.at(-1)?.error.title ?? l.reason,
            ago(l.deadLetteredAt),
            l.redrivenAs,
          ]),
        ),
      );
    });
  letters
    .command('show')
    .description('one dead letter with every attempt’s error')
    .argument('<id>', 'job id (or letter id)')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const letter = await admin(cmd).deadLetter(id, { signal: ctx.signal });
      if (ctx.json(cmd)) printJson(io, letter);
      else io.out(showLetter(letter));
    });
  letters
    .command('redrive')
    .description('run dead-lettered jobs again as new jobs (once each; repeating shows the same new job)')
    .argument('<jobIds...>', 'job ids (up to 100)')
    .action(async (ids: string[], _o: unknown, cmd: Command) => {
      const api = admin(cmd);
      const results =
        ids.length === 1
          ? [await api.redrive(ids[0] ?? '', { signal: ctx.signal })]
          : await api.redriveMany(ids, { signal: ctx.signal });
      if (ctx.json(cmd)) return printJson(io, { results });
      io.out(
        table(
          ['JOB', 'OUTCOME', 'NEW JOB'],
          results.map((r) => [r.jobId, r.outcome, r.newJobId]),
        ),
      );
    });

  program
    .command('pause')
    .description('pause a job type: processors start none of its jobs (running ones go on) until resumed')
    .argument('<type>', 'job type')
    .option('--reason <text>', 'why (shown to operators)')
    .action(async (type: string, o: { reason?: string }, cmd: Command) => {
      const control = await admin(cmd).pause(type, o.reason, { signal: ctx.signal });
      if (ctx.json(cmd)) printJson(io, control);
      else io.out(`paused ${control.type}${control.reason ? ` (${control.reason})` : ''}\n`);
    });
  program
    .command('resume')
    .description('resume a paused job type')
    .argument('<type>', 'job type')
    .action(async (type: string, _o: unknown, cmd: Command) => {
      const control = await admin(cmd).resume(type, { signal: ctx.signal });
      if (ctx.json(cmd)) printJson(io, control);
      else io.out(`resumed ${control.type}\n`);
    });
  program
    .command('job-types')
    .description('every job type and whether it is paused')
    .action(async (_o: unknown, cmd: Command) => {
      const items = await admin(cmd).jobTypes({ signal: ctx.signal });
      if (ctx.json(cmd)) return printJson(io, { items });
      io.out(
        table(
          ['TYPE', 'STATE', 'REASON', 'SINCE'],
          items.map((c) => [c.type, c.paused ? 'paused' : 'running', c.reason, ago(c.updatedAt)]),
        ),
      );
    });

  const num = (name: string, fallback: number) => {
    const raw = env[name];
    return raw === undefined || raw === '' ? fallback : intOption(name, 0, 1_000_000)(raw);
  };
  program
    .command('lag')
    .description("the processors' lag per partition of the requests topic, and the replicas KEDA would run")
    .option(
      '--lag-threshold <n>',
      'KEDA lagThreshold (env LONGHAUL_KEDA_LAG_THRESHOLD, default 10)',
      intOption('--lag-threshold', 1, 1_000_000),
    )
    .option(
      '--activation-lag-threshold <n>',
      'KEDA activationLagThreshold (env LONGHAUL_KEDA_ACTIVATION_LAG_THRESHOLD, default 0)',
      intOption('--activation-lag-threshold', 0, 1_000_000),
    )
    .option(
      '--min-replicas <n>',
      'minReplicaCount (env LONGHAUL_KEDA_MIN_REPLICAS, default 0)',
      intOption('--min-replicas', 0, 10_000),
    )
    .option(
      '--max-replicas <n>',
      'maxReplicaCount (env LONGHAUL_KEDA_MAX_REPLICAS, default 100)',
      intOption('--max-replicas', 1, 10_000),
    )
    .action(async (o: Partial<LagFlags>, cmd: Command) => {
      const settings = {
        lagThreshold: o.lagThreshold ?? num('LONGHAUL_KEDA_LAG_THRESHOLD', 10),
        activationLagThreshold: o.activationLagThreshold ?? num('LONGHAUL_KEDA_ACTIVATION_LAG_THRESHOLD', 0),
        minReplicas: o.minReplicas ?? num('LONGHAUL_KEDA_MIN_REPLICAS', 0),
        maxReplicas: o.maxReplicas ?? num('LONGHAUL_KEDA_MAX_REPLICAS', 100),
      };
      const lag = await admin(cmd).lag({ signal: ctx.signal });
      const estimate = kedaReplicas(
        lag.partitions.map((p) => p.lag),
        settings,
      );
      if (ctx.json(cmd)) return printJson(io, { ...lag, keda: { ...settings, ...estimate } });
      io.out(`topic ${lag.topic}, group ${lag.group}, at ${lag.measuredAt}\n`);
      io.out(
        table(
          ['PARTITION', 'COMMITTED', 'END', 'LAG'],
          lag.partitions.map((p) => [p.partition, p.committedOffset ?? 'none', p.endOffset, p.lag]),
        ),
      );
      io.out(
        `total lag ${estimate.totalLag} → KEDA would run ${estimate.replicas} processor${estimate.replicas === 1 ? '' : 's'} ` +
          `(lagThreshold ${settings.lagThreshold}, min ${settings.minReplicas}, max ${settings.maxReplicas}, ` +
          `${estimate.partitions} partitions; decided by ${estimate.limitedBy})\n`,
      );
    });
}
