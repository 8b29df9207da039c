/**
 * Whether the environment asks for traces. The OpenTelemetry specification's default exporter is
 * `otlp` to localhost, which would export (and fail, quietly or not) wherever no collector runs;
 * Longhaul keeps tracing off until an operator names an exporter or an OTLP endpoint.
 */
export function tracingConfigured(env: NodeJS.ProcessEnv): boolean {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return false;
  const exporters = (env['OTEL_TRACES_EXPORTER'] ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  if (exporters.includes('none')) return false;
  if (exporters.length > 0) return true;
  return Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim() || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim());
}
