import { commonSettings, loadConfig, portSetting, type ConfigOf } from '@longhaul/config';

export const settings = {
  ...commonSettings,
  opsPort: portSetting('LONGHAUL_OPS_PORT', 9101),
} as const;

export type ProcessorConfig = ConfigOf<typeof settings>;

/** Parse the environment once at start; a ConfigError names every bad variable. */
export function loadProcessorConfig(env: NodeJS.ProcessEnv): ProcessorConfig {
  return loadConfig(env, settings);
}
