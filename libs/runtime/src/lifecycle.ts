import type { Logger } from 'pino';
import type { Readiness } from './readiness';

/**
 * Shutdown runs phase by phase, whatever order things were built in: stop taking work,
 * finish or hand back in-flight work (and commit), flush producers and telemetry, close
 * connections. Within a phase, steps run in the order they were added.
 */
export const SHUTDOWN_PHASES = ['intake', 'drain', 'flush', 'close'] as const;
export type ShutdownPhase = (typeof SHUTDOWN_PHASES)[number];

export interface ShutdownStep {
  readonly phase: ShutdownPhase;
  readonly name: string;
  readonly run: () => Promise<void> | void;
  readonly timeoutMs?: number;
}

export interface Lifecycle {
  onShutdown(phase: ShutdownPhase, name: string, run: () => Promise<void> | void, timeoutMs?: number): void;
  /** Idempotent: the first call runs the sequence, later calls get the same promise. */
  shutdown(reason: string, exitCode?: number): Promise<number>;
  readonly stopping: boolean;
}

/**
 * One ordered, bounded, idempotent shutdown. Every step runs even if an earlier one fails or
 * times out; the whole sequence has a hard deadline (kept below the Kubernetes grace period).
 * The resolved number is the exit code: the requested one, or 1 if any step failed.
 */
export function createLifecycle(deps: { logger: Logger; readiness: Readiness; deadlineMs: number }): Lifecycle {
  const steps: ShutdownStep[] = [];
  let running: Promise<number> | undefined;

  async function runStep(step: ShutdownStep, remainingMs: number): Promise<boolean> {
    const budget = Math.max(1, Math.min(step.timeoutMs ?? remainingMs, remainingMs));
    let timer: NodeJS.Timeout | undefined;
    const started = Date.now();
    try {
      await Promise.race([
        Promise.resolve().then(step.run),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`did not finish within ${budget} ms`)), budget);
        }),
      ]);
      deps.logger.info({ step: step.name, ms: Date.now() - started }, 'shutdown step done');
      return true;
    } catch (err) {
      deps.logger.error({ step: step.name, err }, 'shutdown step failed');
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async function sequence(reason: string, exitCode: number): Promise<number> {
    const deadline = Date.now() + deps.deadlineMs;
    deps.logger.info({ reason, deadlineMs: deps.deadlineMs }, 'shutting down');
    deps.readiness.markShuttingDown();
    let failed = false;
    const ordered = SHUTDOWN_PHASES.flatMap((phase) => steps.filter((s) => s.phase === phase));
    for (const step of ordered) {
      const ok = await runStep(step, deadline - Date.now());
      failed ||= !ok;
    }
    const code = failed && exitCode === 0 ? 1 : exitCode;
    deps.logger.info({ exitCode: code }, 'shutdown complete');
    return code;
  }

  return {
    onShutdown(phase, name, run, timeoutMs) {
      steps.push({ phase, name, run, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    },
    shutdown(reason, exitCode = 0) {
      running ??= sequence(reason, exitCode);
      return running;
    },
    get stopping() {
      return running !== undefined;
    },
  };
}
