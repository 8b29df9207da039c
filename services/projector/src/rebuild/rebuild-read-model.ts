import { randomBytes } from 'node:crypto';
import type { EventCodec } from '@longhaul/contracts';
import { coPartitionedAssigner, createConsumerRunner, type Admin, type Kafka } from '@longhaul/kafka';
import type { Db } from '@longhaul/mongo';
import type { Logger } from '@longhaul/runtime';
import { createEventIntake } from '../intake/event-intake';
import type { ProjectorMetrics } from '../metrics';
import { createJobStore } from '../projection/job-store';
import { createEventProjection, type EventProjection } from '../projection/project-events';
import { createRetentionSweeper } from '../retention/sweeper';
import { createPointerStore } from './pointer-store';

export interface RebuildDeps {
  readonly db: Db;
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly codec: EventCodec;
  readonly metrics: ProjectorMetrics;
  readonly logger: Logger;
  /** Progress for the operator, one line at a time. */
  readonly say: (line: string) => void;
  readonly settings: {
    readonly topics: readonly string[];
    /** The live projector's consumer group. */
    readonly liveGroup: string;
    readonly topicPrefix: string;
    readonly retentionMs: number;
    readonly concurrentPartitions: number;
    readonly writeLanes: number;
    readonly sweepBatchSize: number;
    /** How long before readers surely follow the pointer (their poll interval, with margin). */
    readonly switchGraceMs: number;
    /** Keep the collection switched away from (default: drop it after the grace). */
    readonly keepPrevious: boolean;
    /** Pause the live projection once the rebuild is this close (events) behind it. */
    readonly pauseWhenBehind?: number;
    /** How long the live members may take to leave the group once paused. */
    readonly pauseTimeoutMs?: number;
  };
  /** Resolves when the operator interrupts (the rebuild then aborts cleanly). */
  readonly interrupted?: Promise<void>;
}

export interface RebuildSummary {
  readonly generation: number;
  readonly collection: string;
  readonly previous: string;
  readonly eventsApplied: number;
  readonly documents: number;
  readonly previousDocuments: number;
  /** How long the live projection was paused for the switch. */
  readonly pausedMs: number;
  readonly durationMs: number;
  /** Partitions whose oldest events were already removed by the topic's retention. */
  readonly truncatedPartitions: readonly string[];
  readonly previousDropped: boolean;
}

type Offsets = Map<string, bigint>;
const key = (topic: string, partition: number) => `${topic}:${partition}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const HEARTBEAT_MS = 5_000;
const PAUSE_LEASE_MS = 30_000;

/**
 * Rebuild the job read model from the topics into a fresh collection and switch to it, while the
 * live projector goes on (docs/architecture.md, "Rebuilding the read model"):
 *
 * 1. claim the read-model pointer; replay both topics from their start into `jobs_g<n>` with
 *    the projector's own code, announcing nothing, and never past the live projector's committed
 *    offsets (so every change it has not applied yet is still its to announce);
 * 2. once close behind, pause the live projection (the pointer's `pausedUntil`, renewed while
 *    needed): its members finish their batch, commit and leave the group;
 * 3. catch up to exactly the offsets they committed, then point the pointer at the new
 *    collection, which ends the pause: the members rejoin writing there, readers follow;
 * 4. after a grace period, drop the collection switched away from.
 *
 * A failure or an interruption before the switch gives the pointer back unchanged and drops the
 * half-built collection: the live projection is paused a few seconds at most, never changed.
 */
export async function rebuildReadModel(deps: RebuildDeps): Promise<RebuildSummary> {
  const { db, admin, settings, say } = deps;
  const startedAt = Date.now();
  const by = `rebuild-${new Date().toISOString()}-${randomBytes(3).toString('hex')}`;
  const pointers = createPointerStore(db, by);
  const claim = await pointers.claim();
  const { generation, collection } = claim;
  const previous = claim.pointer.collection;
  const group = `${settings.topicPrefix}projector-rebuild-g${generation}-${randomBytes(3).toString('hex')}`;
  say(`rebuilding the read model from ${settings.topics.join(', ')} into ${collection} (was ${previous})`);

  let pausedUntil: Date | null = null;
  let heartbeatError: Error | null = null;
  const heartbeat = setInterval(() => {
    if (pausedUntil) pausedUntil = new Date(Date.now() + PAUSE_LEASE_MS);
    pointers.heartbeat(pausedUntil).catch((err: unknown) => (heartbeatError = err as Error));
  }, HEARTBEAT_MS);
  let interrupted = false;
  void deps.interrupted?.then(() => (interrupted = true));
  const check = () => {
    if (heartbeatError) throw heartbeatError;
    if (interrupted) throw new Error('interrupted');
    if (consumerFailure.err) throw consumerFailure.err;
  };

  await db
    .collection(collection)
    .drop()
    .catch(() => undefined);
  const store = createJobStore(db, collection, { writeLanes: settings.writeLanes });
  await store.ensureIndexes();
  const sweeper = createRetentionSweeper(db, {
    jobsCollection: collection,
    batchSize: settings.sweepBatchSize,
    maxBatches: 1_000,
    retentionMs: settings.retentionMs,
  });
  await sweeper.ensureIndexes();

  let eventsApplied = 0;
  const projection = createEventProjection({
    store,
    settings: { retentionMs: settings.retentionMs },
    publishStates: () => Promise.resolve(),
    announce: false,
  });
  const counted: EventProjection = Object.assign(
    async (events: Parameters<EventProjection>[0]) => {
      const outcome = await projection(events);
      eventsApplied += outcome.applied.length;
      return outcome;
    },
    { forget: projection.forget },
  );
  // Where the live projector is (it consumes from the start where it never committed): the
  // replay applies nothing at or past it.
  let bounds: Offsets = new Map();
  const intake = createEventIntake({
    codec: deps.codec,
    project: counted,
    metrics: deps.metrics,
    logger: deps.logger.child({ component: 'rebuild-intake' }),
    bound: (topic, partition) => bounds.get(key(topic, partition)) ?? 0n,
  });
  const consumerFailure: { err: Error | null } = { err: null };
  const runner = createConsumerRunner({
    kafka: deps.kafka,
    groupId: group,
    topics: settings.topics,
    fromBeginning: true,
    partitionsConsumedConcurrently: settings.concurrentPartitions,
    config: { partitionAssigners: [coPartitionedAssigner], maxWaitTimeInMs: 100 },
    eachBatch: (payload) => intake.eachBatch(payload),
    logger: deps.logger.child({ component: 'rebuild-consumer' }),
    onFatal: (err) => (consumerFailure.err = err),
  });

  const earliest = new Map<string, bigint>();
  for (const topic of settings.topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) earliest.set(key(topic, p.partition), BigInt(p.low));
  }
  const truncatedPartitions = [...earliest].filter(([, low]) => low > 0n).map(([k]) => k);
  const committed = async (groupId: string): Promise<Offsets> => {
    const out: Offsets = new Map();
    for (const t of await admin.fetchOffsets({ groupId, topics: [...settings.topics] })) {
      for (const p of t.partitions) {
        const k = key(t.topic, p.partition);
        const low = earliest.get(k) ?? 0n;
        const at = BigInt(p.offset);
        out.set(k, at < low ? low : at);
      }
    }
    return out;
  };
  const behind = async () => {
    const at = await committed(group);
    let total = 0n;
    for (const [k, bound] of bounds) total += bound > (at.get(k) ?? 0n) ? bound - (at.get(k) ?? 0n) : 0n;
    return Number(total);
  };

  let switched = false;
  let pauseStarted = 0;
  let pausedMs = 0;
  try {
    bounds = await committed(settings.liveGroup);
    await runner.start();
    // 1. Replay up to the live projector, following it.
    for (let last = 0; ;) {
      check();
      await sleep(1_000);
      bounds = await committed(settings.liveGroup);
      const gap = await behind();
      if (Date.now() - last > 5_000) {
        say(`replayed ${eventsApplied} events; ${gap} behind the live projector`);
        last = Date.now();
      }
      if (gap <= (settings.pauseWhenBehind ?? 2_000)) break;
    }
    // Jobs past their retention are replayed too; remove them before anyone reads the collection.
    const swept = await sweeper.sweep();
    if (swept.jobs > 0) say(`removed ${swept.jobs} jobs past their retention from ${collection}`);

    // 2. Pause the live projection until its group is empty.
    pauseStarted = Date.now();
    pausedUntil = new Date(Date.now() + PAUSE_LEASE_MS);
    await pointers.heartbeat(pausedUntil);
    say('pausing the live projector for the switch');
    const deadline = Date.now() + (settings.pauseTimeoutMs ?? 60_000);
    for (;;) {
      check();
      const described = await admin.describeGroups([settings.liveGroup]);
      const state = described.groups[0]?.state;
      if (state === 'Empty' || state === 'Dead') break;
      if (Date.now() > deadline) throw new Error(`the live projector's group is still ${state}; not switching`);
      await sleep(250);
    }
    // 3. Catch up to exactly where the live members stopped.
    bounds = await committed(settings.liveGroup);
    while ((await behind()) > 0) {
      check();
      await sleep(200);
    }
    await runner.stop();
    await pointers.switchTo({ collection, generation, previous });
    switched = true;
    pausedMs = Date.now() - pauseStarted;
    clearInterval(heartbeat);
    // Counted after the switch: on FerretDB a count reads the whole collection.
    const [documents, previousDocuments] = await Promise.all([
      db.collection(collection).countDocuments({}),
      db.collection(previous).countDocuments({}),
    ]);
    say(`switched to ${collection} (${documents} jobs; ${previous} had ${previousDocuments}); paused ${pausedMs} ms`);
    await admin.deleteGroups([group]).catch(() => undefined);

    // 4. Drop what was switched away from, once every reader follows the pointer.
    let previousDropped = false;
    if (!settings.keepPrevious && previous !== collection) {
      await sleep(settings.switchGraceMs);
      await db
        .collection(previous)
        .drop()
        .catch(() => undefined);
      await pointers.forgetPrevious(previous);
      previousDropped = true;
      say(`dropped ${previous}`);
    }
    return {
      generation,
      collection,
      previous,
      eventsApplied,
      documents,
      previousDocuments,
      pausedMs,
      durationMs: Date.now() - startedAt,
      truncatedPartitions,
      previousDropped,
    };
  } catch (err) {
    if (!switched) {
      say(`rebuild failed (${(err as Error).message}); the read model stays ${previous}`);
      clearInterval(heartbeat);
      await runner.stop().catch(() => undefined);
      await pointers.release().catch(() => undefined);
      await db
        .collection(collection)
        .drop()
        .catch(() => undefined);
      await admin.deleteGroups([group]).catch(() => undefined);
    }
    throw err;
  } finally {
    clearInterval(heartbeat);
  }
}
