import { collections, createFencedTransitions, type Db } from '@longhaul/mongo';
import type { SigningSecretDocument, StoredSecret } from '@longhaul/webhooks';
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
 * a secret. Ingress and the notifier may both create it (whoever needs it first), so creation is
 * an insert whose duplicate-key loser reads the winner's document. FerretDB's conditional updates are not atomic, so "shown
 * once" and rotations are decided by inserting a fence (libs/mongo), whose unique `_id` admits
 * one winner.
 */
export function createSigningSecretStore(db: Db, changes: WebhookChanges): SigningSecretStore {
  const secrets = db.collection<SigningSecretDocument>(collections.webhookSigningSecrets);
  const fences = createFencedTransitions(db, secrets, collections.webhookChanges);
  const find = (tenant: string) => storeCall(() => secrets.findOne({ _id: tenant }));
  const currentSince = (doc: SigningSecretDocument) =>
    (doc.secrets.find((s) => s.expiresAt === null)?.createdAt ?? doc.createdAt).getTime();

  return {
    find,
    async ensure(tenant, create) {
      const found = await find(tenant);
      if (found) return found;
      const secret = create();
      const doc: SigningSecretDocument = {
        _id: tenant,
        secrets: [secret],
        revealedAt: null,
        createdAt: secret.createdAt,
        updatedAt: secret.createdAt,
      };
      try {
        // An insert, not an upsert with $setOnInsert: FerretDB 1.24 drops top-level null fields
        // from $setOnInsert, so such a document lacks `revealedAt` (read as null below).
        await storeCall(() => secrets.insertOne(doc));
        await changes.bump();
      } catch (err) {
        // Another caller (an ingress replica or a notifier) inserted it first.
        if (!isDuplicateKey(err)) throw err;
      }
      // What is stored, whoever inserted it: only that secret may ever be shown.
      const winner = await find(tenant);
      if (!winner) throw new Error('the signing secret vanished while being created');
      return winner;
    },
    async reveal(doc, now) {
      // Missing (a notifier's upsert on FerretDB) is null: never shown.
      if ((doc.revealedAt ?? null) !== null) return false;
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
