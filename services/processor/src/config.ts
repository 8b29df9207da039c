import { ConfigError, commonSettings, intSetting, loadConfig, portSetting, type ConfigOf } from '@longhaul/config';

const SECOND = 1_000;

export const settings = {
  ...commonSettings,
  opsPort: portSetting('LONGHAUL_OPS_PORT', 9101),
  /** Jobs this process runs at once. */
  concurrency: intSetting('LONGHAUL_PROCESSOR_CONCURRENCY', { default: 16, min: 1, max: 1_000 }),
  /**
   * Requests this process takes in at once — running, being read and leased, or waiting for a
   * handler slot — before it pauses fetching. 0: four times the concurrency (never less than it).
   */
  intakeLimit: intSetting('LONGHAUL_PROCESSOR_INTAKE_LIMIT', { default: 0, min: 0, max: 100_000 }),
  /** Taken-but-not-committable messages per partition before the partition pauses (lag overcount bound). */
  maxUncommitted: intSetting('LONGHAUL_PROCESSOR_MAX_UNCOMMITTED', { default: 200, min: 1, max: 100_000 }),
  leaseMs: intSetting('LONGHAUL_PROCESSOR_LEASE_MS', { default: 15 * SECOND, min: 1 * SECOND, max: 600 * SECOND }),
  leaseRenewMs: intSetting('LONGHAUL_PROCESSOR_LEASE_RENEW_MS', { default: 3 * SECOND, min: 100, max: 200 * SECOND }),
  sessionTimeoutMs: intSetting('LONGHAUL_PROCESSOR_SESSION_TIMEOUT_MS', {
    default: 15 * SECOND,
    min: 6 * SECOND,
    max: 300 * SECOND,
  }),
  commitIntervalMs: intSetting('LONGHAUL_PROCESSOR_COMMIT_INTERVAL_MS', {
    default: 1 * SECOND,
    min: 50,
    max: 60 * SECOND,
  }),
  progressIntervalMs: intSetting('LONGHAUL_PROCESSOR_PROGRESS_INTERVAL_MS', {
    default: 250,
    min: 50,
    max: 60 * SECOND,
  }),
  /** How often the paused job types are read (a pause or resume is seen within this). */
  controlPollMs: intSetting('LONGHAUL_PROCESSOR_CONTROL_POLL_MS', { default: 2 * SECOND, min: 100, max: 60 * SECOND }),
  abortGraceMs: intSetting('LONGHAUL_PROCESSOR_ABORT_GRACE_MS', { default: 5 * SECOND, min: 100, max: 120 * SECOND }),
  maxResultBytes: intSetting('LONGHAUL_PROCESSOR_MAX_RESULT_BYTES', {
    default: 256 * 1024,
    min: 1024,
    max: 16 * 1024 * 1024,
  }),
  maxCheckpointBytes: intSetting('LONGHAUL_PROCESSOR_MAX_CHECKPOINT_BYTES', {
    default: 1024 * 1024,
    min: 1024,
    max: 16 * 1024 * 1024,
  }),
} as const;

export type ProcessorConfig = ConfigOf<typeof settings>;

/** Parse the environment once at start; a ConfigError names every bad variable. */
export function loadProcessorConfig(env: NodeJS.ProcessEnv): ProcessorConfig {
  const config = loadConfig(env, settings);
  const problems = [];
  if (config.leaseRenewMs * 2 > config.leaseMs) {
    problems.push({
      variable: 'LONGHAUL_PROCESSOR_LEASE_RENEW_MS',
      message: 'must be at most half of LONGHAUL_PROCESSOR_LEASE_MS',
    });
  }
  if (config.maxResultBytes > config.maxBodyBytes) {
    problems.push({
      variable: 'LONGHAUL_PROCESSOR_MAX_RESULT_BYTES',
      message: 'must be at most LONGHAUL_MAX_BODY_BYTES (results travel in events)',
    });
  }
  if (config.abortGraceMs >= config.shutdownTimeoutMs) {
    problems.push({
      variable: 'LONGHAUL_PROCESSOR_ABORT_GRACE_MS',
      message: 'must be below LONGHAUL_SHUTDOWN_TIMEOUT_MS',
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
