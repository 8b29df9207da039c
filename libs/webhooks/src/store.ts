import { collections, type Db } from '@longhaul/mongo';
import type { SigningSecretDocument, StoredSecret, WebhookChangesDocument } from './documents';

const isDuplicateKey = (err: unknown) => (err as { code?: unknown }).code === 11000;

/**
 * Bump the marker `{_id: 'subscriptions'}` that notifiers watch, so they reload subscriptions
 * and signing secrets at once. Two first bumps may race to insert it; the loser's retry finds it.
 */
export async function bumpWebhookChanges(db: Db): Promise<void> {
  const marker = db.collection<WebhookChangesDocument>(collections.webhookChanges);
  const bump = () =>
    marker.updateOne(
      { _id: 'subscriptions' },
      { $inc: { version: 1 }, $set: { updatedAt: new Date() } },
      { upsert: true },
    );
  try {
    await bump();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    await bump();
  }
}

/**
 * A tenant's signing secret, created with `create()` when it has none. Ingress and the notifier
 * may both create it (whoever needs it first), so creation is an insert whose duplicate-key loser
 * reads the winner's document — not an upsert: FerretDB 1.24 drops top-level null fields from
 * `$setOnInsert`. `created` says whether this call inserted it.
 */
export async function ensureSigningSecret(
  db: Db,
  tenant: string,
  create: () => StoredSecret,
): Promise<{ doc: SigningSecretDocument; created: boolean }> {
  const secrets = db.collection<SigningSecretDocument>(collections.webhookSigningSecrets);
  const found = await secrets.findOne({ _id: tenant });
  if (found) return { doc: found, created: false };
  const secret = create();
  const doc: SigningSecretDocument = {
    _id: tenant,
    secrets: [secret],
    revealedAt: null,
    createdAt: secret.createdAt,
    updatedAt: secret.createdAt,
  };
  try {
    await secrets.insertOne(doc);
    return { doc, created: true };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  // Another got there first: only the stored secret may ever be shown or sign.
  const winner = await secrets.findOne({ _id: tenant });
  if (!winner) throw new Error(`the signing secret of tenant ${tenant} vanished while being created`);
  return { doc: winner, created: false };
}
