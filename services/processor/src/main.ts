/**
 * The processor: runs the jobs of `jobs.requested` (and their retry copies) as one member of the
 * processor consumer group. Composition root: config → infrastructure → stores, leases and
 * handlers → the cancel listener → the request intake. Shutdown stops taking messages, aborts the
 * runs (they checkpoint and hand their leases back), commits what is finished, then leaves.
 * How it works: docs/architecture.md, "Running a job".
 */
// First: tracing must start before the modules it instruments load (see tracing.ts).
import { tracing } from './tracing';
import { randomBytes } from 'node:crypto';
import { createEventCodec, jobEventTypes } from '@longhaul/contracts';
import { builtInJobTypes, createJobTypeCatalog, loadJobTypeModules } from '@longhaul/job-types';
import { consumerGroups, topicSpecs } from '@longhaul/kafka';
import {
  closeServer,
  connectInfrastructure,
  createOpsHandler,
  runService,
  startConsumerMember,
  startOpsServer,
  startPublisher,
} from '@longhaul/runtime';
import { createAcceptanceReader } from './acceptances';
import { loadProcessorConfig } from './config';
import { createCancelHandler } from './control/cancel-listener';
import { watchPausedTypes } from './control/paused-types';
import { builtInHandlers } from './handlers';
import { createProcessorMetrics } from './metrics';
import { createRequestProcessor } from './intake/process-request';
import { createRequestIntake } from './intake/request-intake';
import { createSlots } from './intake/slots';
import type { LocalRun } from './runs/job-run';
import { startLeaseKeeper } from './runs/lease-keeper';
import { createDeadLetterStore } from './runs/dead-letter-store';
import { createRunStore } from './runs/run-store';

void runService({
  name: 'processor',
  tracing,
  loadConfig: () => loadProcessorConfig(process.env),
  logLevel: (c) => c.logLevel,
  shutdownTimeoutMs: (c) => c.shutdownTimeoutMs,
  async start(config, ctx) {
    const { logger, lifecycle } = ctx;
    const ops = await startOpsServer({ host: config.bindHost, port: config.opsPort, handler: createOpsHandler(ctx) });
    lifecycle.onShutdown('close', 'ops-server', () => closeServer(ops, { forceAfterMs: 1_000 }));
    const topics = topicSpecs(config);
    const infra = await connectInfrastructure(
      'processor',
      config,
      [topics.requested, topics.retry, topics.events, topics.control, topics.deadLetters],
      ctx,
    );
    const metrics = createProcessorMetrics(ctx.metrics);
    const codec = createEventCodec(infra.registry, config.topicPrefix);
    // The types it produces: a job's lifecycle (and requests for retries), and dead letters.
    await codec.register([...jobEventTypes, 'DeadLetter']);
    const publish = await startPublisher(infra.kafka, ctx, { timeoutMs: 10_000 });

    // Unique per process start: a restarted container (same host name, same pid) is a new owner.
    const owner = `${config.instanceId}-${randomBytes(3).toString('hex')}`;
    const store = createRunStore(infra.mongo.db);
    const deadLetters = createDeadLetterStore(infra.mongo.db);
    const acceptances = createAcceptanceReader(infra.mongo.db);
    const leases = startLeaseKeeper({
      store,
      acceptances,
      owner,
      leaseMs: config.leaseMs,
      renewEveryMs: config.leaseRenewMs,
      logger: logger.child({ component: 'leases' }),
    });
    const paused = await watchPausedTypes({
      db: infra.mongo.db,
      everyMs: config.controlPollMs,
      logger: logger.child({ component: 'job-type-controls' }),
    });
    lifecycle.onShutdown('intake', 'paused-types', () => paused.stop());
    const ownTypes = loadJobTypeModules(
      config.jobTypeModules,
      builtInJobTypes.map((t) => t.name),
    );
    if (ownTypes.definitions.length > 0) logger.info({ types: [...ownTypes.handlers.keys()] }, 'loaded job types');
    // Handlers run at once (the concurrency), and requests taken in at once: running, about
    // to run (read, decided, leased) or waiting for a handler slot.
    const runSlots = createSlots(config.concurrency);
    const intakeSlots = createSlots(Math.max(config.concurrency, config.intakeLimit || 4 * config.concurrency));
    const localRuns = new Map<string, LocalRun>();
    let stopping = false;

    const intake = createRequestIntake({
      topics: [topics.requested.topic, topics.retry.topic],
      slots: intakeSlots,
      slotWaitMs: 1_000,
      maxUncommitted: config.maxUncommitted,
      commitEveryMs: config.commitIntervalMs,
      logger: logger.child({ component: 'intake' }),
      metrics,
      handle: createRequestProcessor({
        store,
        deadLetters,
        leases,
        codec,
        publish,
        acceptances,
        catalog: createJobTypeCatalog([...builtInJobTypes, ...ownTypes.definitions]),
        handlers: new Map([...builtInHandlers, ...ownTypes.handlers]),
        intake: intakeSlots,
        runSlots,
        localRuns,
        metrics,
        logger,
        isStopping: () => stopping,
        watchEveryMs: Math.min(1_000, config.leaseRenewMs),
        paused,
        parkingTopic: topics.retry.topic,
        deadLetterTopic: topics.deadLetters.topic,
        settings: {
          owner,
          leaseMs: config.leaseMs,
          abortGraceMs: config.abortGraceMs,
          maxResultBytes: config.maxResultBytes,
          maxCheckpointBytes: config.maxCheckpointBytes,
          progressIntervalMs: config.progressIntervalMs,
          topicPrefix: config.topicPrefix,
        },
      }),
    });
    lifecycle.onShutdown('intake', 'request-intake', () => {
      stopping = true;
      intake.stop();
    });
    lifecycle.onShutdown(
      'drain',
      'runs',
      async () => {
        const runs = [...localRuns.values()];
        for (const run of runs) run.abort('shutdown');
        await Promise.allSettled(runs.map((r) => r.ended));
        leases.stop();
        await intake.commit();
        intake.close();
      },
      Math.max(1_000, config.shutdownTimeoutMs - 5_000),
    );

    const onCancel = createCancelHandler({
      codec,
      publish,
      deadLetters,
      store,
      acceptances,
      localRuns,
      metrics,
      logger,
    });
    await startConsumerMember(
      {
        name: 'control',
        kafka: infra.kafka,
        groupId: `${config.topicPrefix}processor-control-${owner}`,
        topics: [topics.control.topic],
        fromBeginning: false,
        eachBatch: async (payload) => {
          for (const message of payload.batch.messages) {
            if (!payload.isRunning()) return;
            await onCancel(message).catch((err: unknown) => logger.warn({ err }, 'handling a cancel failed'));
            payload.resolveOffset(message.offset);
          }
          await payload.heartbeat();
        },
      },
      ctx,
    );
    await startConsumerMember(
      {
        name: 'requests',
        kafka: infra.kafka,
        groupId: consumerGroups(config.topicPrefix).processor.groupId,
        topics: [topics.requested.topic, topics.retry.topic],
        autoCommit: false,
        config: {
          sessionTimeout: config.sessionTimeoutMs,
          heartbeatInterval: Math.min(3_000, Math.floor(config.sessionTimeoutMs / 5)),
          rebalanceTimeout: 60_000,
          // kafkajs sleeps this long before fetching again when every partition is paused (a
          // full pod), so it bounds how late a freed slot is noticed; idle long polls are cheap.
          maxWaitTimeInMs: 200,
        },
        onJoin: () => intake.onAssigned(),
        onRebalancing: () => intake.onRebalancing(),
        beforeStart: (runner) => intake.attach(runner.consumer),
        eachBatch: (payload) => intake.eachBatch(payload),
      },
      ctx,
    );
    logger.info({ owner, concurrency: config.concurrency }, 'processing');
  },
});
