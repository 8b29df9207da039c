import { SettingError, type Setting } from './settings';

export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}

/** Thrown by loadConfig with every bad variable; `lines()` gives one line per variable. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable} ${p.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }

  lines(): string[] {
    return this.problems.map((p) => `config error: ${p.variable} ${p.message}`);
  }
}

export type ConfigSpec = Record<string, Setting<unknown>>;
export type ConfigOf<S extends ConfigSpec> = { readonly [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

/** Parse every setting of `spec` from `env`, collecting all problems before failing. */
export function loadConfig<S extends ConfigSpec>(
  env: Readonly<Record<string, string | undefined>>,
  spec: S,
): ConfigOf<S> {
  const out: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [key, setting] of Object.entries(spec)) {
    try {
      out[key] = setting.parse(env[setting.variable]);
    } catch (err) {
      if (!(err instanceof SettingError)) throw err;
      problems.push({ variable: setting.variable, message: err.message });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out as ConfigOf<S>;
}
