/**
 * Imported first by main.ts, so the OpenTelemetry SDK is started before http, koa and mongodb
 * are loaded (its instrumentations patch them as they load). The one module that acts when
 * imported: it reads only the OTEL_* variables, and does nothing unless they ask for traces.
 */
import { startTracing } from '@longhaul/telemetry';

export const tracing = startTracing({ service: 'notifier' });
