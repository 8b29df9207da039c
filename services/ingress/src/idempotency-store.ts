import { createHash } from 'node:crypto';
import { collections, type Collection, type Db } from '@longhaul/mongo';
import { isDuplicateKey } from './store-call';

/**
 * Idempotency-Key records (draft-ietf-httpapi-idempotency-key-header), one per tenant and key.
 * The `_id` (tenant + hash of the key) gives uniqueness without partial indexes, which
 * FerretDB lacks; the first request to insert it owns the key.
 */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

interface KeyRecord {
  _id: string;
  tenant: string;
  fingerprint: string;
  jobId: string;
  state: 'in_flight' | 'done';
  leaseUntil: Date;
  expiresAt: Date;
  response: StoredResponse | null;
}

export type KeyClaim =
  | { kind: 'owner'; jobId: string; takenOver: boolean }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'mismatch' }
  | { kind: 'in_flight' };

export interface IdempotencyStore {
  claim(tenant: string, key: string, fingerprint: string, newJobId: string): Promise<KeyClaim>;
  complete(tenant: string, key: string, response: StoredResponse): Promise<void>;
  /** Forget a claim whose request failed (503): a retry with the same key starts afresh. */
  release(tenant: string, key: string): Promise<void>;
  purgeExpired(): Promise<number>;
}

export async function createIdempotencyStore(
  db: Db,
  opts: { ttlSeconds: number; leaseMs: number },
): Promise<IdempotencyStore> {
  const coll: Collection<KeyRecord> = db.collection<KeyRecord>(collections.idempotencyKeys);
  await coll.createIndex({ expiresAt: 1 });
  const idOf = (tenant: string, key: string) => `${tenant}:${createHash('sha256').update(key).digest('base64url')}`;

  async function claim(
    tenant: string,
    key: string,
    fingerprint: string,
    newJobId: string,
    tries = 3,
  ): Promise<KeyClaim> {
    const now = new Date();
    const _id = idOf(tenant, key);
    const fresh: KeyRecord = {
      _id,
      tenant,
      fingerprint,
      jobId: newJobId,
      state: 'in_flight',
      leaseUntil: new Date(now.getTime() + opts.leaseMs),
      expiresAt: new Date(now.getTime() + opts.ttlSeconds * 1000),
      response: null,
    };
    try {
      await coll.insertOne(fresh);
      return { kind: 'owner', jobId: newJobId, takenOver: false };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const existing = await coll.findOne({ _id });
    if (!existing) return tries > 0 ? claim(tenant, key, fingerprint, newJobId, tries - 1) : { kind: 'in_flight' };
    if (existing.expiresAt < now) {
      // Expired but not yet purged: replace it, unless another request just did.
      const res = await coll.replaceOne({ _id, expiresAt: existing.expiresAt }, fresh);
      if (res.modifiedCount === 1) return { kind: 'owner', jobId: newJobId, takenOver: false };
      return tries > 0 ? claim(tenant, key, fingerprint, newJobId, tries - 1) : { kind: 'in_flight' };
    }
    if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (existing.state === 'done' && existing.response) return { kind: 'replay', response: existing.response };
    if (existing.leaseUntil > now) return { kind: 'in_flight' };
    // The first request died mid-way: take it over, keeping its job id so no second job appears.
    const res = await coll.updateOne(
      { _id, state: 'in_flight', leaseUntil: existing.leaseUntil },
      { $set: { leaseUntil: new Date(now.getTime() + opts.leaseMs) } },
    );
    return res.modifiedCount === 1 ? { kind: 'owner', jobId: existing.jobId, takenOver: true } : { kind: 'in_flight' };
  }

  return {
    claim: (tenant, key, fingerprint, newJobId) => claim(tenant, key, fingerprint, newJobId),
    async complete(tenant, key, response) {
      await coll.updateOne({ _id: idOf(tenant, key) }, { $set: { state: 'done', response } });
    },
    async release(tenant, key) {
      await coll.deleteOne({ _id: idOf(tenant, key), state: 'in_flight' });
    },
    async purgeExpired() {
      const res = await coll.deleteMany({ expiresAt: { $lt: new Date() } });
      return res.deletedCount;
    },
  };
}
