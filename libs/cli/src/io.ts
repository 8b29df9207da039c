/** Where a command writes, and what it knows of its terminal (tests give their own). */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Standard output is a terminal: live redrawing is allowed. */
  readonly isTTY: boolean;
  readonly columns: number;
  readonly env: NodeJS.ProcessEnv;
  readFile(path: string): string;
}

/** Print a value for scripts: one JSON document (or one per line for streams). */
export const printJson = (io: Io, value: unknown, compact = false): void =>
  io.out(`${compact ? JSON.stringify(value) : JSON.stringify(value, null, 2)}\n`);

/** Columns aligned under their headers; empty cells shown as `-`. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
): string {
  const cells = [
    headers,
    ...rows.map((r) => r.map((c) => (c === null || c === undefined || c === '' ? '-' : String(c)))),
  ];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return (
    cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')).join('\n') + '\n'
  );
}

/** `label: value` lines, labels aligned; null values left out. */
export function fields(entries: readonly (readonly [string, string | number | boolean | null | undefined])[]): string {
  const shown = entries.filter(([, v]) => v !== null && v !== undefined && v !== '');
  const width = Math.max(...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${String(v)}`).join('\n') + '\n';
}

/** A short relative time for tables: `12s ago`, `5m ago`, `3h ago`, else the date. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '-';
  const s = Math.round((now - Date.parse(iso)) / 1000);
  if (s < 0 || Number.isNaN(s)) return iso;
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return iso.slice(0, 10);
}
