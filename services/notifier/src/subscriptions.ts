import type { JobStateChanged, WebhookEventType } from '@longhaul/contracts';
import { collections, fromJsonText, type Db } from '@longhaul/mongo';
import type { Logger } from '@longhaul/runtime';
import {
  bumpWebhookChanges,
  ensureSigningSecret,
  generateSecret,
  JOB_SUBSCRIPTION,
  signingSecrets,
  type DisabledReason,
  type SecretBox,
  type SubscriptionDocument,
  type WebhookChangesDocument,
} from '@longhaul/webhooks';

/** Where one state change goes: a subscription (or the job's own webhook) and its URL. */
export interface Target {
  readonly subscriptionId: string;
  readonly url: string;
}

/**
 * What the notifier knows of subscriptions and secrets. Every enabled subscription is held in
 * memory and reloaded whenever the API has changed one (a counter in `webhook_changes`, read once
 * per batch) and at least every `reloadMs`. Secrets are opened only when a delivery is signed.
 */
export interface SubscriptionDirectory {
  /** Reload when the API changed something since the last look. */
  refresh(): Promise<void>;
  /**
   * The targets of a change: the job's own webhook (unless it answered 410) and every enabled
   * subscription of the tenant that wants this event type and existed when the change happened.
   */
  targets(change: JobStateChanged, type: WebhookEventType): Target[];
  /** A subscription as last loaded (null: deleted). */
  get(id: string): SubscriptionDocument | null;
  /** The secrets that sign a delivery now: the subscription's, the job's own, or the tenant's. */
  secretsFor(delivery: {
    subscriptionId: string;
    ownSecret?: boolean;
    tenant: string;
    jobId: string;
  }): Promise<string[]>;
  /** A job's own webhook answered 410: no more deliveries to it. */
  markJobGone(jobId: string): void;
  isJobGone(jobId: string): boolean;
  /** The notifier changed a subscription: keep the copy in memory in step. */
  patchLocal(id: string, fields: Partial<SubscriptionDocument>): void;
  /** Tell other notifiers (and the next refresh) that something changed. */
  bump(): Promise<void>;
}

const CACHE_LIMIT = 10_000;
const OPENED_SECRETS_MS = 10_000;

/** A Map that forgets its oldest entries past a size. */
function boundedCache<V>(limit: number) {
  const map = new Map<string, V>();
  return {
    get: (k: string) => map.get(k),
    set(k: string, v: V) {
      map.delete(k);
      map.set(k, v);
      if (map.size > limit) map.delete(map.keys().next().value!);
    },
    clear: () => map.clear(),
  };
}

/** The part of an acceptance record's request the notifier reads. */
interface AcceptanceRequest {
  webhook: { sealedSecret: string | null } | null;
}

export async function createSubscriptionDirectory(
  db: Db,
  box: SecretBox,
  opts: { logger: Logger; reloadMs?: number },
): Promise<SubscriptionDirectory> {
  const subscriptions = db.collection<SubscriptionDocument>(collections.webhookSubscriptions);
  const changes = db.collection<WebhookChangesDocument>(collections.webhookChanges);
  const acceptances = db.collection<{
    _id: string;
    tenant: string;
    /** JSON text (a subdocument in records written before; see the ingress's acceptance-store.ts). */
    request: string | AcceptanceRequest;
  }>(collections.acceptances);

  let byId = new Map<string, SubscriptionDocument>();
  let byTenant = new Map<string, SubscriptionDocument[]>();
  let version = -1;
  let loadedAt = 0;
  const reloadMs = opts.reloadMs ?? 30_000;
  const jobSecrets = boundedCache<string | null>(CACHE_LIMIT);
  const tenantSecretCache = boundedCache<{ secrets: string[]; at: number }>(CACHE_LIMIT);
  const goneJobs = boundedCache<true>(CACHE_LIMIT);
  const loadingSecrets = new Map<string, Promise<string[]>>();
  const openedSecrets = new WeakMap<object, { secrets: string[]; at: number }>();

  async function load(): Promise<void> {
    const marker = await changes.findOne({ _id: 'subscriptions' });
    const all = await subscriptions.find({}).toArray();
    byId = new Map(all.map((s) => [s._id, s]));
    byTenant = new Map();
    for (const s of all) {
      if (!s.enabled) continue;
      const list = byTenant.get(s.tenant) ?? [];
      list.push(s);
      byTenant.set(s.tenant, list);
    }
    version = marker?.version ?? 0;
    loadedAt = Date.now();
    // A rotation may have changed a tenant's secret.
    tenantSecretCache.clear();
  }
  await load();

  return {
    async refresh() {
      if (Date.now() - loadedAt >= reloadMs) return load();
      const marker = await changes.findOne({ _id: 'subscriptions' });
      if ((marker?.version ?? 0) !== version) await load();
    },

    targets(change, type) {
      const found: Target[] = [];
      const own = change.webhook;
      if (own && (own.events.length === 0 || own.events.includes(type)) && !goneJobs.get(change.jobId)) {
        found.push({ subscriptionId: JOB_SUBSCRIPTION, url: own.url });
      }
      for (const s of byTenant.get(change.tenant) ?? []) {
        if (s.events.length > 0 && !s.events.includes(type)) continue;
        // A subscription made after the change does not get it, however late it is read.
        if (s.createdAt.getTime() > change.time) continue;
        found.push({ subscriptionId: s._id, url: s.url });
      }
      return found;
    },

    get: (id) => byId.get(id) ?? null,

    async secretsFor({ subscriptionId, ownSecret, tenant, jobId }) {
      if (subscriptionId !== JOB_SUBSCRIPTION) {
        const s = byId.get(subscriptionId);
        if (!s) return [];
        // Opened once per reload interval (a rotation's overlap ends on time, not on reload).
        const known = openedSecrets.get(s.secrets);
        if (known && Date.now() - known.at < OPENED_SECRETS_MS) return known.secrets;
        const secrets = signingSecrets(s.secrets, box);
        openedSecrets.set(s.secrets, { secrets, at: Date.now() });
        return secrets;
      }
      if (!ownSecret) return tenantSigningSecrets(tenant);
      // The job's own secret stays sealed in its acceptance record.
      let sealed = jobSecrets.get(jobId);
      if (sealed === undefined) {
        const record = await acceptances.findOne({ _id: jobId }, { projection: { tenant: 1, request: 1 } });
        sealed =
          record && record.tenant === tenant ? (fromJsonText(record.request).webhook?.sealedSecret ?? null) : null;
        jobSecrets.set(jobId, sealed);
      }
      return sealed === null ? [] : [box.open(sealed)];
    },

    markJobGone: (jobId) => goneJobs.set(jobId, true),
    isJobGone: (jobId) => goneJobs.get(jobId) === true,

    patchLocal(id, fields) {
      const s = byId.get(id);
      if (!s) return;
      Object.assign(s, fields);
      if (fields.enabled === false) {
        const list = byTenant.get(s.tenant)?.filter((x) => x._id !== id) ?? [];
        byTenant.set(s.tenant, list);
      }
    },

    bump: () => bumpWebhookChanges(db),
  };

  /** The tenant's signing secret(s), created on first use (the API shows it once, later). */
  function tenantSigningSecrets(tenant: string): Promise<string[]> {
    const cached = tenantSecretCache.get(tenant);
    if (cached && Date.now() - cached.at < reloadMs) return Promise.resolve(cached.secrets);
    // One read (and at most one creation) per tenant at a time, however many deliveries wait.
    let loading = loadingSecrets.get(tenant);
    if (!loading) {
      loading = loadTenantSecrets(tenant).finally(() => loadingSecrets.delete(tenant));
      loadingSecrets.set(tenant, loading);
    }
    return loading;
  }

  async function loadTenantSecrets(tenant: string): Promise<string[]> {
    const { doc, created } = await ensureSigningSecret(db, tenant, () => ({
      sealed: box.seal(generateSecret()),
      createdAt: new Date(),
      expiresAt: null,
    }));
    if (created) opts.logger.info({ tenant }, 'created the tenant signing secret on first use');
    const secrets = signingSecrets(doc.secrets, box);
    tenantSecretCache.set(tenant, { secrets, at: Date.now() });
    return secrets;
  }
}

/** The fields the notifier sets on a subscription when it disables one. */
export function disabledFields(reason: DisabledReason, at: Date): Partial<SubscriptionDocument> {
  return { enabled: false, disabledReason: reason, disabledAt: at, updatedAt: at };
}
