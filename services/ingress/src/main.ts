/**
 * The ingress: the public REST API. Composition root: config → infrastructure → producer →
 * stores → HTTP app; shutdown stops taking requests first, then the relay, then flushes the
 * producer, then closes.
 */
// First: tracing must start before the modules it instruments load (see tracing.ts).
import { tracing } from './tracing';
import { createServer } from 'node:http';
import { createEventCodec } from '@longhaul/contracts';
import { builtInJobTypes, createJobTypeCatalog, loadJobTypeModules } from '@longhaul/job-types';
import { consumerGroups, topicSpecs } from '@longhaul/kafka';
import { collections, ensureIndexes, followReadModelPointer } from '@longhaul/mongo';
import {
  closeServer,
  connectInfrastructure,
  createOpsHandler,
  listen,
  registerGroupLag,
  runService,
  startPublisher,
} from '@longhaul/runtime';
import { createAcceptanceStore } from './acceptance-store';
import { createApp } from './app';
import { createAuthenticator } from './auth';
import { loadIngressConfig } from './config';
import { createIdempotencyStore } from './idempotency-store';
import { createJobReads } from './job-reads';
import { createJobTypeControls } from './job-type-controls';
import { createIngressMetrics } from './metrics';
import { startOutboxRelay } from './outbox-relay';
import { createRateLimiter } from './rate-limit';
import { buildOpenApi } from './openapi';
import { jobRoutes } from './routes/jobs';
import { jobEventRoutes } from './routes/job-events';
import { startStateFollower } from './state-follower';
import { adminRoutes } from './routes/admin';
import { lagRoutes } from './routes/lag';
import { metaRoutes } from './routes/meta';
import { createDeadLetterReads, createRedriveLog } from './redrive';
import { createSubmissionValidator } from './submission';
import { createSecretBox, webhookIndexes, type SubscriptionDocument } from '@longhaul/webhooks';
import { deliveryRoutes } from './routes/webhook-deliveries';
import { signingSecretRoutes } from './routes/signing-secret';
import { webhookRoutes } from './routes/webhooks';
import { createSigningSecretStore } from './signing-secrets';
import { createWebhookChanges } from './webhook-changes';
import { createDeliveryStore } from './webhook-deliveries';
import { createSubscriptionStore } from './webhook-subscriptions';
import { createTargetChecks } from './webhook-target';

void runService({
  name: 'ingress',
  tracing,
  loadConfig: () => loadIngressConfig(process.env),
  logLevel: (c) => c.logLevel,
  shutdownTimeoutMs: (c) => c.shutdownTimeoutMs,
  async start(config, ctx) {
    const { logger, lifecycle } = ctx;
    const topics = topicSpecs(config);
    const infra = await connectInfrastructure(
      'ingress',
      config,
      [topics.requested, topics.control, topics.state],
      ctx,
      {
        liveReadiness: false,
      },
    );
    const metrics = createIngressMetrics(ctx.metrics, { tenants: config.metricsTenants });
    // Every service group's lag, read here so it stays visible when a group has no member left.
    const groups = consumerGroups(config.topicPrefix);
    registerGroupLag(ctx.metrics.registry, infra.admin, [groups.processor, groups.projector, groups.notifier], {
      onError: (err) => logger.warn({ err }, 'could not read consumer lag'),
    });
    const codec = createEventCodec(infra.registry, config.topicPrefix);
    await codec.register(['JobRequested', 'JobCancelRequested']);

    const publish = await startPublisher(infra.kafka, ctx, {
      timeoutMs: config.produceTimeoutMs,
      onLateFailure: (err) => logger.debug({ err }, 'a publish that had timed out failed later'),
    });

    const acceptances = createAcceptanceStore(infra.mongo.db);
    lifecycle.onShutdown('flush', 'acceptance-store', () => acceptances.flush());
    const idempotency = await createIdempotencyStore(infra.mongo.db, {
      ttlSeconds: config.idempotencyTtlSeconds,
      leaseMs: config.produceTimeoutMs + 10_000,
    });
    const purge = setInterval(() => {
      idempotency.purgeExpired().catch((err: unknown) => logger.warn({ err }, 'purging idempotency keys failed'));
    }, 60_000);
    purge.unref();
    lifecycle.onShutdown('intake', 'idempotency-purge', () => clearInterval(purge));
    const relay = startOutboxRelay({
      acceptances,
      codec,
      publish,
      metrics,
      logger,
      produceTimeoutMs: config.produceTimeoutMs,
    });
    lifecycle.onShutdown('drain', 'outbox-relay', () => relay.stop());

    const ownTypes = loadJobTypeModules(
      config.jobTypeModules,
      builtInJobTypes.map((t) => t.name),
    );
    const jobTypes = [...builtInJobTypes, ...ownTypes.definitions];
    const catalog = createJobTypeCatalog(jobTypes);
    const box = createSecretBox(config.secretsKey);
    const accept = {
      acceptances,
      idempotency,
      codec,
      publish,
      secrets: box,
      metrics,
      logger,
      pollAfterSeconds: config.pollAfterSeconds,
      retryAfterSeconds: Math.max(1, Math.ceil(config.produceTimeoutMs / 1000)),
    };
    // Which collection holds the read model (a rebuild switches it); reads follow within a poll.
    const readModel = await followReadModelPointer(infra.mongo.db, {
      intervalMs: config.pointerPollMs,
      onChange: (next) =>
        logger.info({ collection: next.collection, generation: next.generation }, 'read model pointer'),
      onError: (err) => logger.warn({ err }, 'could not read the read-model pointer'),
    });
    lifecycle.onShutdown('close', 'read-model-pointer', () => readModel.stop());
    const redrives = createRedriveLog(infra.mongo.db);
    const letters = createDeadLetterReads(infra.mongo.db);
    const reads = createJobReads(infra.mongo.db, acceptances, redrives, () => readModel.current().collection);
    // Server-sent events follow the projector's changelog (every replica reads all of it).
    const follower = await startStateFollower({
      kafka: infra.kafka,
      codec,
      topic: topics.state.topic,
      groupPrefix: config.topicPrefix,
      logger: logger.child({ component: 'sse-follower' }),
    });
    lifecycle.onShutdown('drain', 'sse-follower', () => follower.stop());
    const outboundRules = { allowHttp: config.webhookAllowHttp, allowCidrs: config.webhookAllowCidrs };
    const targets = createTargetChecks(outboundRules);
    const routes = jobRoutes({
      accept,
      reads,
      acceptances,
      validate: createSubmissionValidator(catalog, outboundRules, targets),
      codec,
      publish,
      logger,
      knownTypes: catalog.names,
      maxBodyBytes: config.maxBodyBytes,
      pollAfterSeconds: config.pollAfterSeconds,
    });

    // Webhook subscriptions and signing secrets (the notifier delivers; ingress manages).
    await ensureIndexes(
      infra.mongo.db.collection<SubscriptionDocument>(collections.webhookSubscriptions),
      webhookIndexes.subscriptions,
    );
    const changes = createWebhookChanges(infra.mongo.db, logger);
    const subscriptions = createSubscriptionStore(infra.mongo.db, changes);
    const webhooks = { box, overlapMs: config.webhookSecretOverlapSeconds * 1000, maxBodyBytes: config.maxBodyBytes };

    const app = createApp({
      ops: createOpsHandler(ctx),
      logger,
      metrics,
      auth: createAuthenticator(config.apiKeys, config.adminKeys),
      limiter: createRateLimiter({ ratePerSecond: config.rateLimitPerSecond, burst: config.rateLimitBurst }),
      routers: [
        metaRoutes(buildOpenApi(jobTypes)),
        routes,
        jobEventRoutes({
          reads,
          follower,
          logger,
          maxStreams: config.maxEventStreams,
          keepAliveMs: config.eventStreamKeepAliveMs,
        }),
        webhookRoutes({ ...webhooks, subscriptions, targets }),
        signingSecretRoutes({ ...webhooks, signingSecrets: createSigningSecretStore(infra.mongo.db, changes) }),
        deliveryRoutes({
          deliveries: createDeliveryStore(infra.mongo.db),
          subscriptions,
          reads,
          maxBodyBytes: config.maxBodyBytes,
        }),
        adminRoutes({
          controls: createJobTypeControls(infra.mongo.db),
          knownTypes: catalog.names,
          redrive: { accept, acceptances, letters, log: redrives, catalog },
          letters,
          log: redrives,
          maxBodyBytes: config.maxBodyBytes,
        }),
        lagRoutes({
          admin: infra.admin,
          topic: topics.requested.topic,
          groupId: consumerGroups(config.topicPrefix).processor.groupId,
        }),
      ],
    });
    const handle = app.callback();
    const server = createServer((req, res) => void handle(req, res));
    server.requestTimeout = 30_000;
    server.headersTimeout = 10_000;
    await listen(server, config.bindHost, config.httpPort);
    lifecycle.onShutdown('intake', 'http-server', () => closeServer(server));
    logger.info({ url: `http://${config.bindHost}:${config.httpPort}` }, 'listening');
  },
});
