import { commonSettings, loadConfig, portSetting, type ConfigOf } from '@longhaul/config';

export const settings = {
  ...commonSettings,
  httpPort: portSetting('LONGHAUL_HTTP_PORT', 8080),
} as const;

export type IngressConfig = ConfigOf<typeof settings>;

/** Parse the environment once at start; a ConfigError names every bad variable. */
export function loadIngressConfig(env: NodeJS.ProcessEnv): IngressConfig {
  return loadConfig(env, settings);
}
