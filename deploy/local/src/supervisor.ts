import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { formatLine } from './log-format';

export interface ProcessSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Run as this user and group (PostgreSQL refuses to run as root). */
  readonly user?: { readonly uid: number; readonly gid: number };
  /** A real readiness probe (a broker call, a ping, /readyz), polled until true. */
  readonly ready: () => Promise<boolean>;
  readonly readyTimeoutMs: number;
  /** Restart with backoff when it dies on its own (services); infrastructure is not restarted. */
  readonly restart: boolean;
  readonly stopTimeoutMs: number;
}

export interface Output {
  /** Lines of the supervised processes, prefixed and formatted; `console` decides if they show. */
  line(name: string, text: string): void;
  say(text: string): void;
}

export function createOutput(opts: { console: boolean; width: number; color: boolean }): Output {
  return {
    line(name, text) {
      if (opts.console) process.stdout.write(`${formatLine(name, opts.width, text, opts.color)}\n`);
    },
    say(text) {
      process.stdout.write(`${formatLine('longhaul', opts.width, text, opts.color)}\n`);
    },
  };
}

interface Running {
  spec: ProcessSpec;
  child: ChildProcess;
  exited: Promise<number | null>;
  log: WriteStream;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts processes each in its own process group (so a terminal's Ctrl-C reaches only us and
 * we stop them in order), tees their output to `<logDir>/<name>.log`, waits until each is
 * really ready, restarts services that die with exponential backoff, and stops everything in
 * reverse start order: SIGTERM to the group, then SIGKILL after the stop timeout.
 */
export class Supervisor {
  private readonly running = new Map<string, Running>();
  private readonly order: string[] = [];
  private stopping = false;

  constructor(
    private readonly logDir: string,
    private readonly out: Output,
    private readonly onPids: (pids: number[]) => void,
  ) {
    mkdirSync(logDir, { recursive: true });
  }

  async start(spec: ProcessSpec): Promise<void> {
    const run = this.launch(spec);
    if (!this.order.includes(spec.name)) this.order.push(spec.name);
    await this.waitReady(run);
    this.out.say(`${spec.name} is ready`);
    this.watch(spec.name);
  }

  private launch(spec: ProcessSpec): Running {
    const log = createWriteStream(join(this.logDir, `${spec.name}.log`), { flags: 'a' });
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      ...(spec.user ? { uid: spec.user.uid, gid: spec.user.gid } : {}),
    });
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        log.write(`${line}\n`);
        this.out.line(spec.name, line);
      });
    }
    const exited = new Promise<number | null>((resolve) => {
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
      child.on('error', (err) => {
        this.out.say(`${spec.name} could not start: ${err.message}`);
        resolve(127);
      });
    });
    const run: Running = { spec, child, exited, log };
    this.running.set(spec.name, run);
    this.onPids(this.pids());
    return run;
  }

  private async waitReady(run: Running): Promise<void> {
    const deadline = Date.now() + run.spec.readyTimeoutMs;
    let dead = false;
    void run.exited.then(() => (dead = true));
    while (Date.now() < deadline) {
      if (dead) {
        throw new Error(
          `${run.spec.name} exited before it was ready; see ${join(this.logDir, `${run.spec.name}.log`)}`,
        );
      }
      if (await run.spec.ready().catch(() => false)) return;
      await sleep(250);
    }
    throw new Error(`${run.spec.name} was not ready within ${run.spec.readyTimeoutMs} ms; see ${this.logDir}`);
  }

  /** Restart a service that dies on its own, backing off 1 s, 2 s, 4 s … up to 30 s. */
  private watch(name: string): void {
    const run = this.running.get(name);
    if (!run) return;
    const startedAt = Date.now();
    void run.exited.then(async (code) => {
      if (this.stopping || this.running.get(name) !== run) return;
      if (!run.spec.restart) {
        this.out.say(`${name} exited (code ${code}); it is not restarted`);
        return;
      }
      const attempt = (this.attempts.get(name) ?? 0) + (Date.now() - startedAt > 60_000 ? 0 : 1);
      this.attempts.set(name, attempt);
      const delay = Math.min(30_000, 1_000 * 2 ** Math.max(0, attempt - 1));
      this.out.say(`${name} exited (code ${code}); restarting in ${delay / 1000} s (restart #${attempt})`);
      await sleep(delay);
      if (this.stopping) return;
      const next = this.launch(run.spec);
      try {
        await this.waitReady(next);
        this.out.say(`${name} is ready again`);
      } catch (err) {
        this.out.say(`${name}: ${(err as Error).message}`);
      }
      this.watch(name);
    });
  }

  private readonly attempts = new Map<string, number>();

  pids(): number[] {
    return [...this.running.values()].flatMap((r) => (r.child.pid ? [r.child.pid] : []));
  }

  /** Stop one process group: SIGTERM, then SIGKILL after its stop timeout. */
  private async stopOne(run: Running): Promise<void> {
    const pid = run.child.pid;
    if (pid === undefined || run.child.exitCode !== null || run.child.signalCode !== null) return;
    signalGroup(pid, 'SIGTERM');
    const timer = sleep(run.spec.stopTimeoutMs).then(() => 'timeout' as const);
    if ((await Promise.race([run.exited, timer])) === 'timeout') {
      this.out.say(`${run.spec.name} did not stop within ${run.spec.stopTimeoutMs} ms; killing it`);
      signalGroup(pid, 'SIGKILL');
      await run.exited;
    }
    // Children the process left behind in its group (none expected) go too.
    signalGroup(pid, 'SIGKILL');
    run.log.end();
  }

  /** Stop the named processes (in the given order), or everything in reverse start order. */
  async stop(names?: readonly string[]): Promise<void> {
    if (!names) this.stopping = true;
    const targets = names ?? [...this.order].reverse();
    for (const name of targets) {
      const run = this.running.get(name);
      if (!run) continue;
      this.out.say(`stopping ${name}`);
      await this.stopOne(run);
      this.running.delete(name);
    }
    this.onPids(this.pids());
  }
}

export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
