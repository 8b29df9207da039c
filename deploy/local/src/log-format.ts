const COLORS = [36, 35, 33, 32, 34, 91, 96, 95, 93, 92];
const LEVEL_COLORS: Record<string, number> = { fatal: 41, error: 31, warn: 33, info: 32, debug: 90, trace: 90 };

/** A stable color per process name, so interleaved logs stay readable. */
export function colorFor(name: string): number {
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return COLORS[h % COLORS.length] ?? 36;
}

const paint = (on: boolean, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/**
 * One readable line from a service's JSON log line (pino), or the raw line for anything else
 * (Kafka, the registry and FerretDB write their own formats).
 */
export function formatLine(name: string, width: number, line: string, color: boolean): string {
  const prefix = paint(color, colorFor(name), `${name.padEnd(width)} |`);
  if (!line.startsWith('{')) return `${prefix} ${line}`;
  try {
    const rec = JSON.parse(line) as Record<string, unknown>;
    const { level, time, msg, service: _s, pid: _p, hostname: _h, err, ...rest } = rec;
    const lvl = typeof level === 'string' ? level : 'info';
    const t = typeof time === 'string' ? time.slice(11, 23) : '';
    const fields = Object.entries(rest)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    const errMessage = err && typeof err === 'object' ? (err as Record<string, unknown>)['message'] : undefined;
    const errText = typeof errMessage === 'string' ? ` err=${errMessage}` : '';
    const text = typeof msg === 'string' ? msg : JSON.stringify(msg ?? '');
    return `${prefix} ${t} ${paint(color, LEVEL_COLORS[lvl] ?? 0, lvl.toUpperCase().padEnd(5))} ${text}${fields ? ` ${fields}` : ''}${errText}`;
  } catch {
    return `${prefix} ${line}`;
  }
}
