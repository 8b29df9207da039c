import type { DeliveryState, Webhook, WebhookDelivery, WebhookEventType } from '@longhaul/client';
import { Option, type Command } from 'commander';
import type { CommandContext } from '../context';
import { UsageError } from '../exit-codes';
import { ago, fields, printJson, table } from '../io';
import { intOption, listOption, timeOption } from '../settings';

const eventTypes: readonly WebhookEventType[] = [
  'job.started',
  'job.progress',
  'job.retrying',
  'job.succeeded',
  'job.failed',
  'job.cancelled',
];
const deliveryStates: readonly DeliveryState[] = ['pending', 'delivered', 'failed', 'dead', 'collapsed', 'skipped'];

const state = (w: Webhook) => (w.enabled ? 'enabled' : `disabled${w.disabledReason ? ` (${w.disabledReason})` : ''}`);

function showSecret(ctx: CommandContext, w: Webhook & { secret: string }, verb: string): void {
  ctx.io.out(
    fields([
      ['id', w.id],
      ['url', w.url],
      ['events', w.events.length === 0 ? 'all' : w.events.join(', ')],
      ['state', state(w)],
      ['secret', w.secret],
    ]),
  );
  ctx.io.err(`${verb}; the secret is shown only now: keep it (receivers verify signatures with it)\n`);
}

const deliveryRows = (items: readonly WebhookDelivery[]) =>
  table(
    ['ID', 'EVENT', 'JOB', 'STATE', 'ATTEMPTS', 'REPLAYS', 'LAST', 'CREATED'],
    items.map((d) => {
      const last = d.attemptLog.at(-1);
      return [
        d.id,
        d.eventType,
        d.jobId,
        d.state,
        d.attempts,
        d.replays,
        last ? `${last.status ?? last.outcome}` : null,
        ago(d.createdAt),
      ];
    }),
  );

export function webhookCommands(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  const webhooks = program
    .command('webhooks')
    .description('webhook subscriptions: add, list, rotate, deliveries, replay');

  webhooks
    .command('add')
    .description('subscribe a URL to job events; prints its signing secret (shown once)')
    .argument('<url>', 'https URL of the receiver')
    .option(
      '--events <list>',
      `comma-separated event types (default: all): ${eventTypes.join(', ')}`,
      listOption('--events', eventTypes),
    )
    .option('--description <text>', 'what it is for')
    .option('--disabled', 'create it disabled')
    .action(
      async (
        url: string,
        o: { events?: WebhookEventType[]; description?: string; disabled?: boolean },
        cmd: Command,
      ) => {
        const created = await ctx.client(cmd).webhooks.create(
          {
            url,
            ...(o.events ? { events: o.events } : {}),
            ...(o.description ? { description: o.description } : {}),
            ...(o.disabled ? { enabled: false } : {}),
          },
          { signal: ctx.signal },
        );
        if (ctx.json(cmd)) printJson(io, created);
        else showSecret(ctx, created, `subscribed ${created.id}`);
      },
    );

  webhooks
    .command('list')
    .description("the tenant's subscriptions, newest first")
    .action(async (_o: unknown, cmd: Command) => {
      const items = await ctx.client(cmd).webhooks.list({ signal: ctx.signal });
      if (ctx.json(cmd)) return printJson(io, { items });
      io.out(
        table(
          ['ID', 'URL', 'EVENTS', 'STATE', 'LAST DELIVERED'],
          items.map((w) => [
            w.id,
            w.url,
            w.events.length === 0 ? 'all' : w.events.join(','),
            state(w),
            ago(w.lastDeliveredAt),
          ]),
        ),
      );
    });

  webhooks
    .command('remove')
    .description('delete a subscription')
    .argument('<id>', 'subscription id (wh_…)')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      await ctx.client(cmd).webhooks.delete(id, { signal: ctx.signal });
      if (ctx.json(cmd)) printJson(io, { id, deleted: true });
      else io.out(`deleted ${id}\n`);
    });

  webhooks
    .command('rotate')
    .description('a new signing secret for a subscription (the old one keeps signing during the overlap)')
    .argument('<id>', 'subscription id (wh_…)')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const rotated = await ctx.client(cmd).webhooks.rotateSecret(id, { signal: ctx.signal });
      if (ctx.json(cmd)) printJson(io, rotated);
      else showSecret(ctx, rotated, `rotated the secret of ${id}`);
    });

  webhooks
    .command('deliveries')
    .description("a subscription's deliveries (or a job's, with --job), newest first")
    .argument('[id]', 'subscription id (wh_…)')
    .option('--job <jobId>', "a job's deliveries instead (its own webhook's and every subscription's)")
    .addOption(new Option('--state <state>', 'only deliveries in this state').choices(deliveryStates))
    .option('--limit <n>', 'deliveries per page (1–200)', intOption('--limit', 1, 200))
    .option('--before <time>', 'only deliveries created before (a page’s next)', timeOption('--before'))
    .action(
      async (
        id: string | undefined,
        o: { job?: string; state?: DeliveryState; limit?: number; before?: string },
        cmd: Command,
      ) => {
        if ((id === undefined) === (o.job === undefined))
          throw new UsageError('give a subscription id or --job <jobId>, not both');
        const filter = {
          ...(o.state ? { state: o.state } : {}),
          ...(o.limit ? { limit: o.limit } : {}),
          ...(o.before ? { before: o.before } : {}),
        };
        const client = ctx.client(cmd);
        const page =
          o.job !== undefined
            ? await client.jobs.deliveries(o.job, filter, { signal: ctx.signal })
            : await client.webhooks.deliveries(id ?? '', filter, { signal: ctx.signal });
        if (ctx.json(cmd)) return printJson(io, page);
        io.out(deliveryRows(page.items));
        if (page.next !== null) io.err(`more: add --before ${page.next}\n`);
      },
    );

  webhooks
    .command('replay')
    .description("queue failed or dead deliveries again: a subscription's since a time, or one delivery")
    .argument('[id]', 'subscription id (wh_…)')
    .option(
      '--since <time>',
      'with a subscription: failed or dead deliveries since (date-time, or 1h, 2d …)',
      timeOption('--since'),
    )
    .option('--delivery <deliveryId>', 'one delivery (its webhook-id), whatever its subscription')
    .action(async (id: string | undefined, o: { since?: string; delivery?: string }, cmd: Command) => {
      const client = ctx.client(cmd);
      if (o.delivery !== undefined) {
        if (id !== undefined || o.since !== undefined)
          throw new UsageError('--delivery replays one delivery: give no subscription id or --since');
        const delivery = await client.webhooks.replayDelivery(o.delivery, { signal: ctx.signal });
        if (ctx.json(cmd)) return printJson(io, delivery);
        return io.out(`queued delivery ${delivery.id} again (replay ${delivery.replays})\n`);
      }
      if (id === undefined || o.since === undefined)
        throw new UsageError('give a subscription id and --since <time>, or --delivery <id>');
      const replayed = await client.webhooks.replay(id, o.since, { signal: ctx.signal });
      if (ctx.json(cmd)) printJson(io, { replayed });
      else io.out(`queued ${replayed} deliveries of ${id} again\n`);
    });
}
