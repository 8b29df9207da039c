import { ConfigError } from '@longhaul/config';
import { createMetrics, type Metrics, type Tracing } from '@longhaul/telemetry';
import { createLifecycle, type Lifecycle } from './lifecycle';
import { createLogger, type Logger } from './logger';
import { createReadiness, type Readiness } from './readiness';

export interface ServiceContext {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly readiness: Readiness;
  readonly lifecycle: Lifecycle;
}

export interface ServiceOptions<C> {
  readonly name: string;
  /** Parse the environment; throw ConfigError naming every bad variable. */
  readonly loadConfig: () => C;
  readonly logLevel: (config: C) => string;
  /** Started by the service's first import (see its tracing.ts); flushed when it stops. */
  readonly tracing?: Tracing;
  readonly shutdownTimeoutMs: (config: C) => number;
  /** Build and start everything; register shutdown steps on the lifecycle as you go. */
  readonly start: (config: C, ctx: ServiceContext) => Promise<void>;
}

/** Exit code for a configuration error (sysexits EX_CONFIG). */
export const EXIT_CONFIG = 78;

/**
 * The one lifecycle of every service: config → logger/metrics → start → serve → ordered
 * shutdown on SIGTERM/SIGINT (exit 0) or on a crash (exit non-zero, never 0).
 */
export async function runService<C>(opts: ServiceOptions<C>, proc: NodeJS.Process = process): Promise<void> {
  let config: C;
  try {
    config = opts.loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.lines()) proc.stderr.write(`${opts.name}: ${line}\n`);
      proc.exit(EXIT_CONFIG);
    }
    throw err;
  }

  const logger = createLogger({
    service: opts.name,
    level: opts.logLevel(config),
    traceContext: opts.tracing?.enabled ?? false,
  });
  const metrics = createMetrics({ service: opts.name });
  const readiness = createReadiness();
  const deadlineMs = opts.shutdownTimeoutMs(config);
  const lifecycle = createLifecycle({ logger, readiness, deadlineMs });
  // First of the closing steps: after the producers flushed (their last spans ended), before
  // connections close.
  const { tracing } = opts;
  if (tracing?.enabled) lifecycle.onShutdown('close', 'tracing', () => tracing.shutdown(), 5_000);

  const stop = (reason: string, code: number) => {
    // A second signal, or a hung step, must not keep the process alive past the deadline.
    const hard = setTimeout(() => {
      logger.fatal({ deadlineMs }, 'shutdown deadline exceeded, exiting');
      proc.exit(code === 0 ? 1 : code);
    }, deadlineMs + 1_000);
    hard.unref();
    void lifecycle.shutdown(reason, code).then((exitCode) => {
      logger.flush();
      proc.exit(exitCode);
    });
  };

  proc.on('SIGTERM', () => stop('SIGTERM', 0));
  proc.on('SIGINT', () => stop('SIGINT', 0));
  proc.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    stop('uncaught exception', 1);
  });
  proc.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled promise rejection');
    stop('unhandled rejection', 1);
  });

  // Not ready until start() has built and connected everything, whatever the other checks say.
  let started = false;
  readiness.add('started', () => ({ ok: started, detail: started ? 'started' : 'starting' }));

  try {
    await opts.start(config, { logger, metrics, readiness, lifecycle });
    started = true;
    logger.info('started');
  } catch (err) {
    logger.fatal({ err }, 'start failed');
    stop('start failed', 1);
  }
}
