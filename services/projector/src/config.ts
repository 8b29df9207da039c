import { commonSettings, loadConfig, portSetting, type ConfigOf } from '@longhaul/config';

export const settings = {
  ...commonSettings,
  opsPort: portSetting('LONGHAUL_OPS_PORT', 9102),
} as const;

export type ProjectorConfig = ConfigOf<typeof settings>;

/** Parse the environment once at start; a ConfigError names every bad variable. */
export function loadProjectorConfig(env: NodeJS.ProcessEnv): ProjectorConfig {
  return loadConfig(env, settings);
}
