export interface CheckResult {
  readonly ok: boolean;
  readonly detail?: string;
}

export type ReadinessCheck = () => boolean | CheckResult | Promise<boolean | CheckResult>;

export interface Readiness {
  add(name: string, check: ReadinessCheck): void;
  /** Once set, the service reports not ready for good (it is shutting down). */
  markShuttingDown(): void;
  evaluate(): Promise<{ ready: boolean; checks: Record<string, CheckResult> }>;
}

/** Readiness is the conjunction of named checks, each bounded in time so /readyz never hangs. */
export function createReadiness(opts: { checkTimeoutMs?: number } = {}): Readiness {
  const checks = new Map<string, ReadinessCheck>();
  const timeoutMs = opts.checkTimeoutMs ?? 2_000;
  let shuttingDown = false;

  async function run(check: ReadinessCheck): Promise<CheckResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<CheckResult>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
    });
    try {
      const outcome = await Promise.race([Promise.resolve().then(check), timeout]);
      return typeof outcome === 'boolean' ? { ok: outcome } : outcome;
    } catch (err) {
      return { ok: false, detail: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    add(name, check) {
      if (checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
      checks.set(name, check);
    },
    markShuttingDown() {
      shuttingDown = true;
    },
    async evaluate() {
      const results: Record<string, CheckResult> = {};
      const entries = [...checks.entries()];
      const outcomes = await Promise.all(entries.map(([, check]) => run(check)));
      entries.forEach(([name], i) => {
        results[name] = outcomes[i] ?? { ok: false };
      });
      if (shuttingDown) results['shutdown'] = { ok: false, detail: 'shutting down' };
      const ready = !shuttingDown && entries.length > 0 && Object.values(results).every((r) => r.ok);
      return { ready, checks: results };
    },
  };
}
