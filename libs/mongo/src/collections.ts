/**
 * Every collection Longhaul uses, named in one place. Each has one writer (DESIGN.md, "each
 * service owns its data"); others may read it where a query needs it.
 */
export const collections = {
  /** ingress: one per accepted request, written before it is published (the outbox). */
  acceptances: 'acceptances',
  /** ingress: acceptances not yet acknowledged by Kafka; small, scanned by the outbox relay. */
  acceptanceOutbox: 'acceptance_outbox',
  /** ingress: Idempotency-Key records, per tenant. */
  idempotencyKeys: 'idempotency_keys',
  /** projector: the job read model, one document per job. */
  jobs: 'jobs',
  /** processor: one per job it has seen — lease, attempt, epoch, checkpoint, owed events. */
  jobRuns: 'job_runs',
  /** processor: one per state transition of a job run (its unique `_id` decides races). */
  jobRunFences: 'job_run_fences',
  /** processor: every dead letter (also on the dead-letter topic), for the admin API to list and redrive. */
  deadLetters: 'dead_letters',
  /** ingress: job types an operator paused (processors read it every few seconds). */
  jobTypeControls: 'job_type_controls',
  /** ingress: which dead-lettered job was redriven as which new job. */
  redrives: 'redrives',
  /** projector rebuild: which collection holds the read model (`jobs` until the first rebuild). */
  readModels: 'read_models',
  /** ingress (the API) — the notifier sets only `failingSince`, `lastDeliveredAt` and auto-disable: tenant webhook subscriptions. */
  webhookSubscriptions: 'webhook_subscriptions',
  /** ingress creates and rotates, the notifier creates on first use: each tenant's signing secret. */
  webhookSigningSecrets: 'webhook_signing_secrets',
  /** notifier — ingress only re-queues for replay: one per (state change, subscription), with every attempt. */
  webhookDeliveries: 'webhook_deliveries',
  /**
   * ingress writes, the notifier consumes: one per delivery put back for a replay, until the
   * notifier owning its partition has taken it. Small, so polling it costs nothing (polling the
   * deliveries themselves is a scan of every delivery kept).
   */
  webhookReplays: 'webhook_replays',
  /** ingress: a counter bumped on every subscription or secret change, so notifiers reload at once. */
  webhookChanges: 'webhook_changes',
  /** ingress: one per reveal or rotation of a webhook secret (its unique `_id` decides races). */
  webhookFences: 'webhook_fences',
} as const;
