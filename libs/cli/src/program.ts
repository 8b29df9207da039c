import { Command, Option } from 'commander';
import type { CommandContext } from './context';
import { jobCommands } from './commands/jobs';
import { operatorCommands } from './commands/operator';
import { webhookCommands } from './commands/webhooks';

/**
 * The `longhaul` command line. Actions set `process.exitCode` through their return value; every
 * failure is thrown and turned into a message and an exit code by main.
 */
export function createProgram(ctx: CommandContext, onResult: (code: number) => void): Command {
  const program = new Command('longhaul')
    .description('Submit and follow Longhaul jobs, manage webhooks, and operate the system.')
    .version('0.1.0')
    .addOption(new Option('--url <url>', 'the API (default: $LONGHAUL_API_URL, else http://127.0.0.1:8080)'))
    .addOption(new Option('--key <key>', 'tenant API key (default: $LONGHAUL_API_KEY)'))
    .addOption(new Option('--admin-key <key>', 'admin key for operator commands (default: $LONGHAUL_ADMIN_KEY)'))
    .option('--json', 'print JSON for scripts instead of text for people')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => ctx.io.out(s), writeErr: (s) => ctx.io.err(s) })
    .exitOverride();
  program.addHelpText(
    'after',
    '\nExit codes: 0 ok, 1 job failed or cancelled, 2 usage error, 3 API refused the request, 4 not found,\n' +
      '5 key missing or not allowed, 6 API unreachable or unavailable, 7 --timeout passed, 130 interrupted.',
  );
  jobCommands(program, ctx, onResult);
  webhookCommands(program, ctx);
  operatorCommands(program, ctx);
  // Subcommands report usage errors like the root (exit code 2, message on stderr).
  for (const cmd of allCommands(program)) {
    cmd.exitOverride().configureOutput({ writeOut: (s) => ctx.io.out(s), writeErr: (s) => ctx.io.err(s) });
    cmd.showHelpAfterError('(run with --help for usage)');
  }
  return program;
}

function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)]);
}
