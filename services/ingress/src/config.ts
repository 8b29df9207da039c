import { commonSettings, intSetting, loadConfig, nameListSetting, portSetting, type ConfigOf } from '@longhaul/config';
import { webhookSettings } from '@longhaul/webhooks';
import { adminKeysSetting, apiKeysSetting } from './auth';

export const settings = {
  ...commonSettings,
  httpPort: portSetting('LONGHAUL_HTTP_PORT', 8080),
  /** `tenant:key` pairs; only their SHA-256 hashes are kept. */
  apiKeys: apiKeysSetting('LONGHAUL_API_KEYS'),
  /** Keys for /v1/admin/ only; they belong to no tenant. */
  adminKeys: adminKeysSetting('LONGHAUL_ADMIN_KEYS'),
  /** How long a publish to Kafka may take before the request is answered 503. */
  produceTimeoutMs: intSetting('LONGHAUL_PRODUCE_TIMEOUT_MS', { default: 5_000, min: 100, max: 60_000 }),
  idempotencyTtlSeconds: intSetting('LONGHAUL_IDEMPOTENCY_TTL_SECONDS', {
    default: 24 * 3600,
    min: 60,
    max: 30 * 24 * 3600,
  }),
  /** Per tenant, per ingress replica: a token bucket refilled at this rate… */
  rateLimitPerSecond: intSetting('LONGHAUL_RATE_LIMIT_PER_SECOND', { default: 2_000, min: 1, max: 1_000_000 }),
  /** …holding at most this many tokens. */
  rateLimitBurst: intSetting('LONGHAUL_RATE_LIMIT_BURST', { default: 4_000, min: 1, max: 10_000_000 }),
  /** Server-sent event streams one ingress process keeps open at most (more get 503). */
  maxEventStreams: intSetting('LONGHAUL_SSE_MAX_STREAMS', { default: 5_000, min: 1, max: 100_000 }),
  /** How often an idle event stream gets a comment, so proxies keep it open. */
  eventStreamKeepAliveMs: intSetting('LONGHAUL_SSE_KEEPALIVE_MS', { default: 15_000, min: 100, max: 300_000 }),
  /** The `Retry-After` (seconds) suggested while a job is not finished. */
  pollAfterSeconds: intSetting('LONGHAUL_POLL_AFTER_SECONDS', { default: 1, min: 1, max: 3_600 }),
  /** After a rotation, the previous webhook secret keeps signing this long beside the new one. */
  webhookSecretOverlapSeconds: intSetting('LONGHAUL_WEBHOOK_SECRET_OVERLAP_SECONDS', {
    default: 24 * 3600,
    min: 0,
    max: 30 * 24 * 3600,
  }),
  /**
   * Tenants whose name may appear as a metric label value (`tenant`); every other tenant is
   * counted as `other`, so tenant-chosen strings never multiply the series.
   */
  metricsTenants: nameListSetting('LONGHAUL_METRICS_TENANTS', {
    pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    patternHint: 'tenant names (letters, digits, ".", "_", "-"; at most 64)',
    max: 50,
  }),
  ...webhookSettings,
} as const;

export type IngressConfig = ConfigOf<typeof settings>;

/** Parse the environment once at start; a ConfigError names every bad variable (never a key). */
export function loadIngressConfig(env: NodeJS.ProcessEnv): IngressConfig {
  return loadConfig(env, settings);
}
