import { Kafka, logLevel, type KafkaConfig, type logCreator } from 'kafkajs';

/** The subset of a pino logger that the kafkajs log bridge needs. */
export interface KafkaLogSink {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

const LEVELS: Record<number, keyof KafkaLogSink | undefined> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

function bridge(sink: KafkaLogSink): logCreator {
  return () =>
    ({ level, log }) => {
      const method = LEVELS[level] ?? 'info';
      // No `component` of its own: callers pass a child logger that has one, and a second
      // would write the key twice into each JSON line.
      const { message, timestamp: _timestamp, logger: _logger, ...rest } = log;
      sink[method](rest, message);
    };
}

export interface KafkaOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: KafkaLogSink;
  /** kafkajs' own INFO is chatty (every join and commit); WARN keeps the log readable. */
  readonly logLevel?: 'error' | 'warn' | 'info' | 'debug';
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  readonly retry?: KafkaConfig['retry'];
  /** TLS and SASL (see `kafkaSecurity`); none by default. */
  readonly security?: Pick<KafkaConfig, 'ssl' | 'sasl'>;
}

/**
 * The one place that builds a kafkajs client. kafkajs 2.2.4 is unmaintained, so services use
 * it through this lib and the narrow factories beside it, never directly.
 */
export function createKafka(opts: KafkaOptions): Kafka {
  const level = { error: logLevel.ERROR, warn: logLevel.WARN, info: logLevel.INFO, debug: logLevel.DEBUG }[
    opts.logLevel ?? 'warn'
  ];
  return new Kafka({
    clientId: opts.clientId,
    brokers: [...opts.brokers],
    connectionTimeout: opts.connectionTimeoutMs ?? 3_000,
    requestTimeout: opts.requestTimeoutMs ?? 30_000,
    retry: opts.retry ?? { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
    logLevel: level,
    logCreator: bridge(opts.logger),
    ...opts.security,
  });
}
