import { pino, stdSerializers, type Logger, type DestinationStream } from 'pino';
import { activeTraceFields, scrubSecrets } from '@longhaul/telemetry';

export type { Logger } from 'pino';

/** Paths whose values are secrets: pino replaces them before a line is written. */
export const REDACTED_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'secrets',
  '*.secrets',
  'apiKey',
  '*.apiKey',
  'apiKeys',
  '*.apiKeys',
  'adminKeys',
  '*.adminKeys',
  'secretsKey',
  '*.secretsKey',
  'mongoUrl',
  '*.mongoUrl',
  'token',
  '*.token',
];

/**
 * Errors are logged with their message and stack scrubbed of secret-shaped text: a driver's
 * error may quote a connection URL with its password, a library may echo a header.
 */
function errSerializer(err: Error): object {
  const out = stdSerializers.err(err) as unknown as Record<string, unknown>;
  for (const key of ['message', 'stack']) {
    const v = out[key];
    if (typeof v === 'string') out[key] = scrubSecrets(v);
  }
  return out;
}

/**
 * JSON lines on stdout, one field `service` on each, secrets redacted. With `traceContext`, a
 * line written while a span is active carries its `trace_id` and `span_id` (left out otherwise,
 * so a service without tracing pays nothing per line).
 */
export function createLogger(opts: {
  service: string;
  level?: string;
  destination?: DestinationStream;
  traceContext?: boolean;
}): Logger {
  return pino(
    {
      level: opts.level ?? 'info',
      base: { service: opts.service, pid: process.pid },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: errSerializer },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      ...(opts.traceContext ? { mixin: activeTraceFields } : {}),
    },
    opts.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
