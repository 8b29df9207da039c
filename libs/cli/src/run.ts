import { LonghaulError } from '@longhaul/client';
import { CommanderError } from 'commander';
import { createContext, type CommandContext } from './context';
import { describeError, exitCodeFor, exitCodes, UsageError } from './exit-codes';
import type { Io } from './io';
import { createProgram } from './program';

/**
 * Run one command line and resolve with its exit code; never throws. Commander prints its own
 * usage errors; every other failure is printed here (as a problem document with --json).
 */
export async function runCli(
  argv: readonly string[],
  io: Io,
  signal: AbortSignal,
  makeClient?: Parameters<typeof createContext>[2],
): Promise<number> {
  const ctx: CommandContext = createContext(io, signal, makeClient);
  let code: number = exitCodes.ok;
  const program = createProgram(ctx, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (signal.aborted) return exitCodes.interrupted;
    // Commander has printed its own usage errors (and help); a UsageError from an action has not.
    if (!(err instanceof CommanderError) || err instanceof UsageError) {
      if (argv.includes('--json') && err instanceof LonghaulError)
        io.err(`${JSON.stringify({ error: err.problem })}\n`);
      else io.err(`error: ${describeError(err)}\n`);
    }
    return exitCodeFor(err);
  }
}
