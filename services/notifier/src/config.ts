import { commonSettings, loadConfig, portSetting, type ConfigOf } from '@longhaul/config';

export const settings = {
  ...commonSettings,
  opsPort: portSetting('LONGHAUL_OPS_PORT', 9103),
} as const;

export type NotifierConfig = ConfigOf<typeof settings>;

/** Parse the environment once at start; a ConfigError names every bad variable. */
export function loadNotifierConfig(env: NodeJS.ProcessEnv): NotifierConfig {
  return loadConfig(env, settings);
}
