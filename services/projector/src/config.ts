import { ConfigError, commonSettings, intSetting, loadConfig, portSetting, type ConfigOf } from '@longhaul/config';
import { consumerGroups } from '@longhaul/kafka';

const HOUR = 3_600_000;

export const settings = {
  ...commonSettings,
  opsPort: portSetting('LONGHAUL_OPS_PORT', 9102),
  /** How long a finished job stays readable before the sweeper removes it (never under 24 h). */
  retentionHours: intSetting('LONGHAUL_PROJECTOR_RETENTION_HOURS', { default: 7 * 24, min: 24, max: 24 * 3650 }),
  /** How often the retention sweeper looks for expired jobs. */
  sweepIntervalMs: intSetting('LONGHAUL_PROJECTOR_SWEEP_INTERVAL_MS', { default: 60_000, min: 1_000, max: 86_400_000 }),
  /** Jobs the sweeper removes per batch (each batch is a few deletes, with a pause after it). */
  sweepBatchSize: intSetting('LONGHAUL_PROJECTOR_SWEEP_BATCH', { default: 500, min: 1, max: 10_000 }),
  /** Partitions whose batches are applied together (they share each bulk write). */
  concurrentPartitions: intSetting('LONGHAUL_PROJECTOR_CONCURRENT_PARTITIONS', { default: 24, min: 1, max: 1_000 }),
  /**
   * Replace commands (16 documents each) written at once per batch. On FerretDB each needs up to
   * 32 PostgreSQL connections from its pool (`pool_max_conns`, which the local stack sets to 120).
   */
  writeLanes: intSetting('LONGHAUL_PROJECTOR_WRITE_LANES', { default: 3, min: 1, max: 16 }),
  sessionTimeoutMs: intSetting('LONGHAUL_PROJECTOR_SESSION_TIMEOUT_MS', { default: 30_000, min: 6_000, max: 300_000 }),
} as const;

export type ProjectorConfig = ConfigOf<typeof settings> & { readonly retentionMs: number };

/** Parse the environment once at start; a ConfigError names every bad variable. */
export function loadProjectorConfig(env: NodeJS.ProcessEnv): ProjectorConfig {
  const config = loadConfig(env, settings);
  // A rebuild replays the topics: they must still hold every job the read model keeps.
  if (config.topicRetentionHours < config.retentionHours + 24)
    throw new ConfigError([
      {
        variable: 'LONGHAUL_PROJECTOR_RETENTION_HOURS',
        message: `must be at least a day less than LONGHAUL_TOPIC_RETENTION_HOURS (${config.topicRetentionHours}), so a rebuild can replay every job the read model keeps`,
      },
    ]);
  return { ...config, retentionMs: config.retentionHours * HOUR };
}

/** The live projector's consumer group (a rebuild reads its offsets and waits for it to be empty). */
export const projectorGroupId = (topicPrefix: string) => consumerGroups(topicPrefix).projector.groupId;
