/** Set once by startTracing: code on hot paths asks this before doing any tracing work. */
let enabled = false;

export const tracingEnabled = (): boolean => enabled;

export function markTracingEnabled(on: boolean): void {
  enabled = on;
}
