import type { DeliveryDocument, SigningSecretDocument, StoredSecret, SubscriptionDocument } from '@longhaul/webhooks';

/**
 * What the API shows of webhook documents. Never a secret's value or its sealed form: only
 * when each secret was made and until when it signs.
 */
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** The secrets that still sign, current first. */
export function secretsView(secrets: readonly StoredSecret[], now: Date) {
  return secrets
    .filter((s) => s.expiresAt === null || s.expiresAt.getTime() > now.getTime())
    .sort((a, b) => Number(a.expiresAt !== null) - Number(b.expiresAt !== null))
    .map((s) => ({ createdAt: s.createdAt.toISOString(), expiresAt: iso(s.expiresAt) }));
}

export const subscriptionPath = (id: string) => `/v1/webhooks/${id}`;

export function subscriptionView(doc: SubscriptionDocument, now: Date) {
  return {
    id: doc._id,
    url: doc.url,
    events: doc.events,
    description: doc.description,
    enabled: doc.enabled,
    disabledReason: doc.disabledReason,
    disabledAt: iso(doc.disabledAt),
    failingSince: iso(doc.failingSince),
    lastDeliveredAt: iso(doc.lastDeliveredAt),
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    secrets: secretsView(doc.secrets, now),
  };
}

export function signingSecretView(doc: SigningSecretDocument, now: Date) {
  const current = doc.secrets.find((s) => s.expiresAt === null);
  const rotated = current !== undefined && current.createdAt.getTime() !== doc.createdAt.getTime();
  return {
    createdAt: doc.createdAt.toISOString(),
    rotatedAt: rotated ? current.createdAt.toISOString() : null,
    secrets: secretsView(doc.secrets, now),
  };
}

/** A delivery without its body (the job snapshot, already shown by the job API). */
export function deliveryView(doc: Omit<DeliveryDocument, 'body'>) {
  return {
    id: doc._id,
    subscriptionId: doc.subscriptionId,
    jobId: doc.jobId,
    eventType: doc.eventType,
    sequence: doc.sequence,
    url: doc.url,
    state: doc.state,
    attempts: doc.attempts,
    nextAttemptAt: iso(doc.nextAttemptAt),
    replays: doc.replays,
    createdAt: doc.createdAt.toISOString(),
    finishedAt: iso(doc.finishedAt),
    attemptLog: doc.log.map((a) => ({
      at: a.at.toISOString(),
      outcome: a.outcome,
      status: a.status,
      latencyMs: a.latencyMs,
      error: a.error,
      response: a.response,
    })),
  };
}
