import type { Collection, Db, Document, IndexSpecification } from 'mongodb';

export interface IndexSpec {
  readonly key: IndexSpecification;
  readonly name: string;
  /** A TTL index (only where the server has them). */
  readonly expireAfterSeconds?: number;
}

/**
 * Create the indexes a collection lacks, by name, one at a time: FerretDB 1.24 drops the
 * connection ("slice bounds out of range") on a createIndexes of several indexes that already
 * exist. The existing ones are listed once.
 */
export async function ensureIndexes<T extends Document>(
  collection: Collection<T>,
  specs: readonly IndexSpec[],
): Promise<void> {
  const listed = (await collection
    .listIndexes()
    .toArray()
    .catch(() => [])) as { name?: unknown }[];
  const existing = new Set(listed.map((i) => i.name));
  for (const spec of specs) {
    if (existing.has(spec.name)) continue;
    await collection.createIndex(spec.key, {
      name: spec.name,
      ...(spec.expireAfterSeconds === undefined ? {} : { expireAfterSeconds: spec.expireAfterSeconds }),
    });
  }
}

/** FerretDB answers `buildInfo` with a `ferretdbVersion`; it has no TTL indexes, MongoDB has. */
export async function hasTtlIndexes(db: Db): Promise<boolean> {
  const info = await db.admin().command({ buildInfo: 1 });
  return !('ferretdbVersion' in info);
}
