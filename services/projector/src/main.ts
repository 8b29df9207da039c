/**
 * The projector: the only writer of the job read model. It applies `jobs.requested` and
 * `jobs.events` to one document per job and announces every accepted change on `jobs.state`.
 * Composition root: config → infrastructure → store, projection and publisher → the consumer.
 * How it works: docs/architecture.md, "The read model".
 */
// First: tracing must start before the modules it instruments load (see tracing.ts).
import { tracing } from './tracing';
import { createEventCodec } from '@longhaul/contracts';
import { followReadModelPointer } from '@longhaul/mongo';
import { coPartitionedAssigner, topicSpecs } from '@longhaul/kafka';
import {
  closeServer,
  connectInfrastructure,
  createOpsHandler,
  runService,
  startOpsServer,
  startPublisher,
} from '@longhaul/runtime';
import { loadProjectorConfig, projectorGroupId } from './config';
import { createEventIntake } from './intake/event-intake';
import { createLiveMember, type LiveMember } from './intake/live-member';
import { createProjectorMetrics } from './metrics';
import { createJobStore } from './projection/job-store';
import { createEventProjection } from './projection/project-events';
import { createStatePublisher } from './projection/state-publisher';
import { createTraceBook } from './projection/trace-book';
import { createRetentionSweeper, startSweeping } from './retention/sweeper';

void runService({
  name: 'projector',
  tracing,
  loadConfig: () => loadProjectorConfig(process.env),
  logLevel: (c) => c.logLevel,
  shutdownTimeoutMs: (c) => c.shutdownTimeoutMs,
  async start(config, ctx) {
    const { logger, lifecycle } = ctx;
    const ops = await startOpsServer({ host: config.bindHost, port: config.opsPort, handler: createOpsHandler(ctx) });
    lifecycle.onShutdown('close', 'ops-server', () => closeServer(ops, { forceAfterMs: 1_000 }));
    const topics = topicSpecs(config);
    const infra = await connectInfrastructure(
      'projector',
      config,
      [topics.requested, topics.events, topics.state],
      ctx,
    );
    const metrics = createProjectorMetrics(ctx.metrics);
    const codec = createEventCodec(infra.registry, config.topicPrefix);
    await codec.register(['JobStateChanged']);
    const publish = await startPublisher(infra.kafka, ctx, { timeoutMs: 10_000, maxBatch: 5_000 });

    // The read model's collection: `jobs` until a rebuild switches it (see rebuild/).
    const db = infra.mongo.db;
    // Created before the member it drives; a change seen before then is in `current()` anyway.
    const live: { member?: LiveMember } = {};
    const follower = await followReadModelPointer(db, {
      intervalMs: config.pointerPollMs,
      onChange: (next) => live.member?.reconcile(next),
      onError: (err) => logger.warn({ err }, 'could not read the read-model pointer'),
    });
    lifecycle.onShutdown('intake', 'read-model-pointer', () => follower.stop());
    const pointer = follower.current();
    // The member's collection (the pointer's as of its last start); the member exists before any write.
    const collection = () => live.member?.collection() ?? pointer.collection;
    const traces = createTraceBook();
    const store = createJobStore(db, collection, { writeLanes: config.writeLanes });
    await store.ensureIndexes();
    const project = createEventProjection({
      store,
      settings: { retentionMs: config.retentionMs },
      publishStates: createStatePublisher({ codec, publish, traces }),
    });
    const intake = createEventIntake({
      codec,
      project,
      metrics,
      traces,
      logger: logger.child({ component: 'intake' }),
    });
    live.member = createLiveMember(
      {
        initial: pointer,
        onSwitch: () => project.forget(),
        runner: {
          kafka: infra.kafka,
          groupId: projectorGroupId(config.topicPrefix),
          topics: [topics.requested.topic, topics.events.topic],
          partitionsConsumedConcurrently: config.concurrentPartitions,
          config: {
            partitionAssigners: [coPartitionedAssigner],
            maxWaitTimeInMs: 100,
            sessionTimeout: config.sessionTimeoutMs,
            // A member that restarts after a crash waits, when it joins, for the dead member it
            // replaces to rejoin or time out; batches here take milliseconds, so wait no longer
            // than a session (kafkajs's default is 60 s).
            rebalanceTimeout: config.sessionTimeoutMs,
            heartbeatInterval: Math.min(3_000, Math.floor(config.sessionTimeoutMs / 5)),
          },
          eachBatch: (payload) => intake.eachBatch(payload),
          // Partitions may have moved: documents cached before may have been written by another member.
          onRebalancing: () => project.forget(),
          onJoin: () => project.forget(),
        },
      },
      ctx,
    );
    const sweeper = createRetentionSweeper(infra.mongo.db, {
      jobsCollection: collection,
      batchSize: config.sweepBatchSize,
      maxBatches: 100,
      retentionMs: config.retentionMs,
      pauseMs: 50,
    });
    await sweeper.ensureIndexes();
    const sweeping = startSweeping(sweeper, {
      intervalMs: config.sweepIntervalMs,
      onSwept: (removed) => {
        metrics.jobsExpired.inc(removed.jobs);
        if (removed.jobs + removed.rejectedAcceptances > 0) logger.info(removed, 'removed expired jobs');
      },
      onError: (err) => {
        metrics.sweepFailures.inc();
        logger.warn({ err }, 'retention sweep failed; the next one starts over');
      },
    });
    lifecycle.onShutdown('intake', 'retention-sweeper', () => sweeping.stop());
    logger.info(
      { collection: collection(), generation: pointer.generation, retentionHours: config.retentionHours },
      'projecting',
    );
  },
});
