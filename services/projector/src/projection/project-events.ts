import type { JobDocument, JobStateChanged } from '@longhaul/contracts';
import { applyEvent, type IgnoreReason, type ProjectedEvent, type ProjectionSettings } from './apply-event';
import type { JobStore, JobWrite } from './job-store';
import { stateChangedEvent } from './state-changes';

export interface ProjectionOutcome {
  readonly applied: readonly ProjectedEvent[];
  readonly ignored: readonly { event: ProjectedEvent; reason: IgnoreReason }[];
  readonly published: number;
  readonly writes: number;
}

export interface ProjectEventsDeps {
  readonly store: JobStore;
  /** Publish state changes in order (per job); resolves once Kafka acknowledged all of them. */
  readonly publishStates: (events: readonly JobStateChanged[]) => Promise<void>;
  readonly settings: ProjectionSettings;
  readonly now?: () => Date;
  /**
   * How many jobs' documents and published versions to remember (a job that falls out is read
   * again when it next changes; its unannounced changes are re-published once, harmlessly).
   */
  readonly rememberJobs?: number;
  /**
   * Announce accepted changes (the default). A rebuild replays changes the live projector has
   * announced already: it writes documents with nothing pending and publishes nothing.
   */
  readonly announce?: boolean;
}

/**
 * Apply a batch of events (in arrival order; one job's events in its partition's order) to the
 * read model, then announce what changed:
 *
 * 1. take every job the batch touches from the cache of documents this process wrote (it is the
 *    only writer of the jobs in its partitions); a job not in the cache is taken to be new, which
 *    on catch-up it almost always is, so most batches read nothing before writing;
 * 2. write each changed document once, guarded by the version it was read at (a lost guard means
 *    the cache was wrong or another writer got there first: read that job and repeat);
 * 3. publish each accepted change to the state topic, oldest first — once the job's request is
 *    projected (lifecycle events may come first, from another topic): until then they wait.
 *
 * Changes stay in the document (`pendingChanges`) until this process knows they are published;
 * a document read with changes it does not know to be published re-publishes them first (same
 * event ids), so a crash between the write and the publish loses no change and reorders none.
 * Throws if anything fails: the caller then commits nothing and calls again with the same events.
 */
export function createEventProjection(deps: ProjectEventsDeps) {
  const now = deps.now ?? (() => new Date());
  const remember = deps.rememberJobs ?? 50_000;
  const announce = deps.announce ?? true;
  /** Job id → highest version this process saw acknowledged on the state topic. */
  const published = createLru<number>(remember);
  /** The documents as this process last wrote or read them. */
  const cache = createLru<JobDocument>(remember);

  const cached = (ids: readonly string[]) =>
    new Map(
      ids.flatMap((id) => {
        const doc = cache.get(id);
        return doc ? [[id, doc] as const] : [];
      }),
    );

  async function projectEvents(events: readonly ProjectedEvent[]): Promise<ProjectionOutcome> {
    const byJob = new Map<string, ProjectedEvent[]>();
    for (const e of events) {
      const list = byJob.get(e.jobId);
      if (list) list.push(e);
      else byJob.set(e.jobId, [e]);
    }
    const applied: ProjectedEvent[] = [];
    const ignored: { event: ProjectedEvent; reason: IgnoreReason }[] = [];
    const toPublish: JobStateChanged[] = [];
    let writes = 0;
    let ids = [...byJob.keys()];
    for (let round = 1; ids.length > 0; round++) {
      if (round > 5) throw new Error(`jobs kept changing under the projector: ${ids.slice(0, 5).join(', ')}`);
      // First round: the cache, and "new" for the rest; later rounds read the conflicting jobs.
      const loaded = round === 1 ? cached(ids) : await deps.store.load(ids);
      const appliedAt = now();
      const batch: { write: JobWrite | null; doc: JobDocument; applied: ProjectedEvent[]; ignored: typeof ignored }[] =
        [];
      for (const id of ids) {
        const stored = loaded.get(id) ?? null;
        const knownPublished = published.get(id);
        // Changes not known to be published stay pending (and are announced again below).
        const carried = stored?.pendingChanges.filter(
          (c) => knownPublished === undefined || c.version > knownPublished,
        );
        let doc: JobDocument | null = stored && { ...stored, pendingChanges: carried ?? [] };
        const jobApplied: ProjectedEvent[] = [];
        const jobIgnored: typeof ignored = [];
        for (const e of byJob.get(id)!) {
          const r = applyEvent(doc, e, deps.settings, appliedAt);
          if (r.applied) {
            doc = r.doc;
            jobApplied.push(e);
          } else jobIgnored.push({ event: e, reason: r.reason });
        }
        if (!doc) continue;
        if (!announce) doc = { ...doc, pendingChanges: [] };
        const write = jobApplied.length > 0 ? { doc, readVersion: stored?.version ?? null } : null;
        batch.push({ write, doc, applied: jobApplied, ignored: jobIgnored });
      }
      const pendingWrites = batch.flatMap((b) => (b.write ? [b.write] : []));
      const { conflicts } = await deps.store.write(pendingWrites);
      writes += pendingWrites.length;
      const lost = new Set(conflicts);
      for (const b of batch) {
        if (lost.has(b.doc._id)) {
          cache.delete(b.doc._id);
          continue;
        }
        cache.set(b.doc._id, b.doc);
        applied.push(...b.applied);
        ignored.push(...b.ignored);
        // Announced once the request is projected too: a change announced before it would lack
        // what only the request carries (the job's own webhook, its max attempts), and the
        // notifier would send no webhook for it. Until then the changes wait in the document.
        if (b.doc.requested)
          for (const change of b.doc.pendingChanges) toPublish.push(stateChangedEvent(b.doc, change));
      }
      ids = conflicts;
    }
    await deps.publishStates(toPublish);
    for (const s of toPublish) if ((published.get(s.jobId) ?? 0) < s.version) published.set(s.jobId, s.version);
    return { applied, ignored, published: toPublish.length, writes };
  }

  return Object.assign(projectEvents, {
    /** Drop the cached documents (on every rebalance: another member may have written them since). */
    forget: () => cache.clear(),
  });
}

export type EventProjection = ReturnType<typeof createEventProjection>;

/** A map bounded to `limit` entries; reading or writing an entry makes it the newest, the oldest goes. */
function createLru<V>(limit: number) {
  const entries = new Map<string, V>();
  return {
    get(key: string): V | undefined {
      const value = entries.get(key);
      if (value !== undefined) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    set(key: string, value: V) {
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > limit) entries.delete(entries.keys().next().value!);
    },
    delete: (key: string) => entries.delete(key),
    clear: () => entries.clear(),
  };
}
