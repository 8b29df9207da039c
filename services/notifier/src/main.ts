/**
 * The notifier: delivers the accepted state changes of `jobs.state` to webhook subscribers,
 * signed (Standard Webhooks), retried per endpoint, never lost between Kafka and HTTP.
 * Composition root: config → infrastructure → subscriptions, delivery store, dispatcher → the
 * consumer whose batches fan out into deliveries. How it works: docs/architecture.md, "Webhooks".
 */
// First: tracing must start before the modules it instruments load (see tracing.ts).
import { tracing } from './tracing';
import { createEventCodec } from '@longhaul/contracts';
import { consumerGroups, topicSpecs } from '@longhaul/kafka';
import { createAgents, sendWebhook } from '@longhaul/outbound';
import {
  closeServer,
  connectInfrastructure,
  createOpsHandler,
  runService,
  startConsumerMember,
  startOpsServer,
  startPublisher,
} from '@longhaul/runtime';
import { createSecretBox } from '@longhaul/webhooks';
import { loadNotifierConfig } from './config';
import { attemptDelivery } from './delivery/attempt';
import { publishDeadLetter } from './delivery/dead-letters';
import { createDeliveryStore } from './delivery/delivery-store';
import { createDispatcher } from './delivery/dispatcher';
import { createSubscriptionHealth } from './delivery/health';
import { startDeliverySweeper } from './delivery/retention';
import { createFanOut } from './fan-out';
import { createNotifierMetrics } from './metrics';
import { createSubscriptionDirectory } from './subscriptions';

void runService({
  name: 'notifier',
  tracing,
  loadConfig: () => loadNotifierConfig(process.env),
  logLevel: (c) => c.logLevel,
  shutdownTimeoutMs: (c) => c.shutdownTimeoutMs,
  async start(config, ctx) {
    const { logger, lifecycle } = ctx;
    const ops = await startOpsServer({ host: config.bindHost, port: config.opsPort, handler: createOpsHandler(ctx) });
    lifecycle.onShutdown('close', 'ops-server', () => closeServer(ops, { forceAfterMs: 1_000 }));
    const topics = topicSpecs(config);
    const infra = await connectInfrastructure('notifier', config, [topics.state, topics.webhookDeadLetters], ctx);
    const metrics = createNotifierMetrics(ctx.metrics);
    const codec = createEventCodec(infra.registry, config.topicPrefix);
    await codec.register(['WebhookDeadLettered']);
    const publish = await startPublisher(infra.kafka, ctx, { timeoutMs: 10_000 });

    const db = infra.mongo.db;
    const box = createSecretBox(config.secretsKey);
    const directory = await createSubscriptionDirectory(db, box, { logger });
    const health = createSubscriptionHealth(db, directory, {
      disableAfterMs: config.disableAfterSeconds * 1_000,
      metrics,
      logger,
    });
    const store = createDeliveryStore(db);
    await store.ensureIndexes();
    const agents = createAgents({ maxSocketsPerOrigin: config.endpointConcurrency });
    lifecycle.onShutdown('close', 'webhook-agents', () => agents.destroy());
    const rules = { allowHttp: config.webhookAllowHttp, allowCidrs: config.webhookAllowCidrs };
    const retentionMs = config.deliveryRetentionHours * 3_600_000;
    const dispatcher = createDispatcher({
      store,
      metrics,
      logger: logger.child({ component: 'dispatcher' }),
      endpointConcurrency: config.endpointConcurrency,
      maxInFlight: config.maxInFlight,
      endpointQueue: config.endpointQueue,
      maxHeld: config.maxInMemory,
      pollMs: config.pollMs,
      retentionMs,
      attempt: (d, write, sent) =>
        attemptDelivery(
          d,
          {
            directory,
            health,
            write,
            schedule: config.retrySchedule,
            send: (url, request) => sendWebhook(url, request, { rules, timeoutMs: config.timeoutMs, agents }),
            deadLetter: (delivery, attempts, last) => publishDeadLetter({ codec, publish }, delivery, attempts, last),
            metrics,
            logger,
            retentionMs,
          },
          sent,
        ),
    });
    const fanOut = createFanOut({
      codec,
      directory,
      store,
      dispatcher,
      metrics,
      logger: logger.child({ component: 'fan-out' }),
      pendingTtlMs: retentionMs + config.retrySchedule.reduce((a, b) => a + b, 0) * 1.2,
    });
    // Before the member leaves its group (the next step of the phase): store what is not
    // stored yet and commit, so the next owner does not read it again.
    lifecycle.onShutdown('drain', 'fan-out', async () => {
      await fanOut.flush();
      fanOut.stop();
    });
    await startConsumerMember(
      {
        kafka: infra.kafka,
        groupId: consumerGroups(config.topicPrefix).notifier.groupId,
        topics: [topics.state.topic],
        eachBatch: (payload) => fanOut.eachBatch(payload),
        // Offsets are committed by the fan-out, once each message's deliveries are stored.
        autoCommit: false,
        config: {
          maxWaitTimeInMs: 50,
          sessionTimeout: config.sessionTimeoutMs,
          rebalanceTimeout: config.sessionTimeoutMs,
          heartbeatInterval: Math.min(3_000, Math.floor(config.sessionTimeoutMs / 5)),
        },
        beforeStart: (runner) => fanOut.attach(runner.consumer, topics.state.topic),
        onRebalancing: () => dispatcher.pause(),
        onJoin: (assignment) => {
          const partitions = assignment[topics.state.topic] ?? [];
          fanOut.assigned(partitions);
          dispatcher.assign(partitions);
        },
      },
      ctx,
    );
    const sweeper = startDeliverySweeper(db, { intervalMs: 10 * 60_000, logger });
    lifecycle.onShutdown('intake', 'delivery-sweeper', () => sweeper.stop());
    // After the consumer's drain step: the member has left, then attempts in flight finish.
    lifecycle.onShutdown('drain', 'dispatcher', () => dispatcher.stop());
    logger.info(
      { endpointConcurrency: config.endpointConcurrency, maxInFlight: config.maxInFlight },
      'delivering webhooks',
    );
  },
});
