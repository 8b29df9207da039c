import { hostname } from 'node:os';
import { booleanSetting, enumSetting, hostPortListSetting, intSetting, stringSetting, urlSetting } from './settings';

/** Settings every service shares: where the infrastructure is and how to behave on it. */
export const commonSettings = {
  // Where the infrastructure is has no safe default: a service must be told.
  kafkaBrokers: hostPortListSetting('LONGHAUL_KAFKA_BROKERS'),
  /** SASL over the Kafka connection: `none`, or the mechanism with LONGHAUL_KAFKA_SASL_USERNAME/PASSWORD. */
  kafkaSaslMechanism: enumSetting(
    'LONGHAUL_KAFKA_SASL_MECHANISM',
    ['none', 'plain', 'scram-sha-256', 'scram-sha-512'],
    'none',
  ),
  kafkaSaslUsername: stringSetting('LONGHAUL_KAFKA_SASL_USERNAME', { default: '', maxLength: 1_000 }),
  kafkaSaslPassword: stringSetting('LONGHAUL_KAFKA_SASL_PASSWORD', { default: '', maxLength: 10_000 }),
  /** TLS to the brokers; LONGHAUL_KAFKA_TLS_CA_FILE names a PEM bundle when the brokers' CA is private. */
  kafkaTls: booleanSetting('LONGHAUL_KAFKA_TLS', false),
  kafkaTlsCaFile: stringSetting('LONGHAUL_KAFKA_TLS_CA_FILE', {
    default: '',
    maxLength: 4_000,
    pattern: /^[^\0\n]*$/,
    patternHint: 'a file path',
  }),
  schemaRegistryUrl: urlSetting('LONGHAUL_SCHEMA_REGISTRY_URL', { protocols: ['http', 'https'] }),
  mongoUrl: urlSetting('LONGHAUL_MONGO_URL', { protocols: ['mongodb', 'mongodb+srv'] }),
  mongoDatabase: stringSetting('LONGHAUL_MONGO_DATABASE', {
    default: 'longhaul',
    pattern: /^[A-Za-z0-9_-]{1,63}$/,
    patternHint: 'a database name of letters, digits, _ or - (at most 63)',
  }),
  topicPrefix: stringSetting('LONGHAUL_TOPIC_PREFIX', {
    default: 'longhaul.',
    pattern: /^[A-Za-z0-9._-]{0,100}$/,
    patternHint: 'letters, digits, ".", "_" or "-" (at most 100)',
  }),
  requestedPartitions: intSetting('LONGHAUL_REQUESTED_PARTITIONS', { default: 12, min: 1, max: 1000 }),
  eventsPartitions: intSetting('LONGHAUL_EVENTS_PARTITIONS', { default: 12, min: 1, max: 1000 }),
  /**
   * How long the request and lifecycle topics keep events (set when they are created). A read-model
   * rebuild can only replay what they still hold: at least the read model's retention plus the
   * longest a job lives, so the projector refuses a read-model retention within a day of it.
   */
  topicRetentionHours: intSetting('LONGHAUL_TOPIC_RETENTION_HOURS', { default: 14 * 24, min: 48, max: 24 * 3650 }),
  /**
   * Replication of the topics a service creates when they are missing (-1: the broker's
   * default) and their `min.insync.replicas` (0: the broker's default). Production: 3 and 2, so
   * an acknowledged write survives the loss of a broker. Existing topics are never changed.
   */
  replicationFactor: intSetting('LONGHAUL_TOPIC_REPLICATION_FACTOR', { default: -1, min: -1, max: 32 }),
  minInsyncReplicas: intSetting('LONGHAUL_TOPIC_MIN_INSYNC_REPLICAS', { default: 0, min: 0, max: 32 }),
  maxBodyBytes: intSetting('LONGHAUL_MAX_BODY_BYTES', { default: 1024 * 1024, min: 1024, max: 16 * 1024 * 1024 }),
  bindHost: stringSetting('LONGHAUL_BIND_HOST', {
    default: '0.0.0.0',
    pattern: /^[A-Za-z0-9.:-]{1,255}$/,
    patternHint: 'an interface address such as 127.0.0.1 or 0.0.0.0',
  }),
  /** Paths of modules with a team's own job types (see docs/job-types.md), comma-separated. */
  jobTypeModules: stringSetting('LONGHAUL_JOB_TYPES_MODULES', {
    default: '',
    maxLength: 4_000,
    pattern: /^[^\0\n]*$/,
    patternHint: 'comma-separated module paths',
  }),
  /**
   * How often the projector and the ingress look at the read-model pointer (which collection
   * holds the read model; a rebuild moves it). One value for all, so a rebuild knows how long
   * readers take to follow.
   */
  pointerPollMs: intSetting('LONGHAUL_READ_MODEL_POLL_MS', { default: 1_000, min: 100, max: 60_000 }),
  logLevel: enumSetting('LONGHAUL_LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace'], 'info'),
  shutdownTimeoutMs: intSetting('LONGHAUL_SHUTDOWN_TIMEOUT_MS', { default: 25_000, min: 1_000, max: 600_000 }),
  instanceId: stringSetting('LONGHAUL_INSTANCE_ID', {
    default: `${hostname()}-${process.pid}`,
    pattern: /^[A-Za-z0-9._-]{1,100}$/,
    patternHint: 'letters, digits, ".", "_" or "-" (at most 100)',
  }),
} as const;

/** The values of the common settings, as every service's config includes them. */
export type CommonConfig = {
  readonly [K in keyof typeof commonSettings]: ReturnType<(typeof commonSettings)[K]['parse']>;
};
