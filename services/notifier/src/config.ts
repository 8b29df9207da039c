import {
  commonSettings,
  intSetting,
  loadConfig,
  portSetting,
  SettingError,
  type ConfigOf,
  type Setting,
} from '@longhaul/config';
import { webhookSettings } from '@longhaul/webhooks';
import { DEFAULT_SCHEDULE, parseSchedule, type RetrySchedule } from './delivery/schedule';

function scheduleSetting(variable: string): Setting<RetrySchedule> {
  return {
    variable,
    describe: `comma-separated delays (default ${DEFAULT_SCHEDULE})`,
    parse(raw) {
      try {
        return parseSchedule(raw === undefined || raw.trim() === '' ? DEFAULT_SCHEDULE : raw);
      } catch (err) {
        throw new SettingError((err as Error).message);
      }
    },
  };
}

export const settings = {
  ...commonSettings,
  ...webhookSettings,
  opsPort: portSetting('LONGHAUL_OPS_PORT', 9103),
  /** One attempt's deadline: connect, send, and the answer's headers and first bytes. */
  timeoutMs: intSetting('LONGHAUL_WEBHOOK_TIMEOUT_MS', { default: 15_000, min: 100, max: 120_000 }),
  /** The delay before each attempt; as many attempts as entries. */
  retrySchedule: scheduleSetting('LONGHAUL_WEBHOOK_RETRY_SCHEDULE'),
  /** Attempts in flight to one endpoint (URL origin) at most: a slow one holds only these. */
  endpointConcurrency: intSetting('LONGHAUL_WEBHOOK_ENDPOINT_CONCURRENCY', { default: 8, min: 1, max: 256 }),
  /** Attempts in flight at most, over all endpoints. */
  maxInFlight: intSetting('LONGHAUL_WEBHOOK_MAX_IN_FLIGHT', { default: 512, min: 1, max: 10_000 }),
  /** Deliveries one endpoint may have waiting in memory; the rest wait in MongoDB. */
  endpointQueue: intSetting('LONGHAUL_WEBHOOK_ENDPOINT_QUEUE', { default: 10_000, min: 10, max: 100_000 }),
  /** Deliveries held in memory at most, over all endpoints; the rest wait in MongoDB. */
  maxInMemory: intSetting('LONGHAUL_WEBHOOK_MAX_IN_MEMORY', { default: 100_000, min: 100, max: 10_000_000 }),
  /** A subscription whose every attempt failed for this long is disabled (5 days). */
  disableAfterSeconds: intSetting('LONGHAUL_WEBHOOK_DISABLE_AFTER_SECONDS', {
    default: 5 * 86_400,
    min: 1,
    max: 90 * 86_400,
  }),
  /** How long a finished delivery's record (and its attempts) stays listed. */
  deliveryRetentionHours: intSetting('LONGHAUL_WEBHOOK_DELIVERY_RETENTION_HOURS', {
    default: 7 * 24,
    min: 1,
    max: 365 * 24,
  }),
  /** How long the group waits for a silent member before its partitions go to the others. */
  sessionTimeoutMs: intSetting('LONGHAUL_NOTIFIER_SESSION_TIMEOUT_MS', { default: 30_000, min: 6_000, max: 300_000 }),
  /** How often replays requested through the API are looked for. */
  pollMs: intSetting('LONGHAUL_WEBHOOK_POLL_MS', { default: 1_000, min: 50, max: 60_000 }),
} as const;

export type NotifierConfig = ConfigOf<typeof settings>;

/** Parse the environment once at start; a ConfigError names every bad variable. */
export function loadNotifierConfig(env: NodeJS.ProcessEnv): NotifierConfig {
  return loadConfig(env, settings);
}
