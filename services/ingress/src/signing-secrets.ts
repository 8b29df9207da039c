import { collections, createFencedTransitions, type Db } from '@longhaul/mongo';
import { ensureSigningSecret, type SigningSecretDocument, type StoredSecret } from '@longhaul/webhooks';
import { isDuplicateKey, storeCall } from './store-call';
import type { WebhookChanges } from './webhook-changes';

export interface SigningSecretStore {
  /** The tenant's signing secret, created (never shown yet) when it has none. */
  ensure(tenant: string, create: () => StoredSecret): Promise<SigningSecretDocument>;
  /** Mark the current secret shown; true for exactly one caller. */
  reveal(doc: SigningSecretDocument, now: Date): Promise<boolean>;
  /**
   * Store `secrets` (after a rotation, or a first secret when there was no document) as shown;
   * false when another change got there first.
   */
  replace(tenant: string, doc: SigningSecretDocument | null, secrets: StoredSecret[], now: Date): Promise<boolean>;
  find(tenant: string): Promise<SigningSecretDocument | null>;
}

/**
 * Each tenant's signing secret (`_id` = tenant), which signs the per-job webhooks given without
 * a secret, created by whoever needs it first (`ensureSigningSecret`, shared with the notifier).
 * FerretDB's conditional updates are not atomic, so "shown
 * once" and rotations are decided by inserting a fence (libs/mongo), whose unique `_id` admits
 * one winner.
 */
export function createSigningSecretStore(db: Db, changes: WebhookChanges): SigningSecretStore {
  const secrets = db.collection<SigningSecretDocument>(collections.webhookSigningSecrets);
  const fences = createFencedTransitions(db, secrets, collections.webhookFences);
  const find = (tenant: string) => storeCall(() => secrets.findOne({ _id: tenant }));
  const currentSince = (doc: SigningSecretDocument) =>
    (doc.secrets.find((s) => s.expiresAt === null)?.createdAt ?? doc.createdAt).getTime();

  return {
    find,
    async ensure(tenant, create) {
      const { doc, created } = await storeCall(() => ensureSigningSecret(db, tenant, create));
      if (created) await changes.bump();
      return doc;
    },
    async reveal(doc, now) {
      if (doc.revealedAt !== null) return false;
      return storeCall(() =>
        fences.transition(
          doc._id,
          `signing-secret/reveal/${currentSince(doc)}`,
          { revealedAt: null },
          { revealedAt: now, updatedAt: now },
        ),
      );
    },
    async replace(tenant, doc, next, now) {
      if (doc === null) {
        const created: SigningSecretDocument = {
          _id: tenant,
          secrets: next,
          revealedAt: now,
          createdAt: now,
          updatedAt: now,
        };
        try {
          await storeCall(() => secrets.insertOne(created));
        } catch (err) {
          if (isDuplicateKey(err)) return false;
          throw err;
        }
      } else {
        const won = await storeCall(() =>
          fences.transition(
            tenant,
            `signing-secret/rotate/${currentSince(doc)}`,
            { updatedAt: doc.updatedAt },
            { secrets: next, revealedAt: now, updatedAt: now },
          ),
        );
        if (!won) return false;
      }
      await changes.bump();
      return true;
    },
  };
}
