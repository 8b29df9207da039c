import { createSchemaRegistry, pingSchemaRegistry, type SchemaRegistry } from '@longhaul/contracts';
import {
  createKafka,
  ensureTopics,
  kafkaSecurity,
  type KafkaSecuritySettings,
  type Admin,
  type Kafka,
  type TopicSpec,
} from '@longhaul/kafka';
import { connectMongo, type MongoConnection } from '@longhaul/mongo';
import type { ServiceContext } from './run-service';

export interface InfrastructureSettings extends KafkaSecuritySettings {
  readonly kafkaBrokers: readonly string[];
  readonly schemaRegistryUrl: string;
  readonly mongoUrl: string;
  readonly mongoDatabase: string;
  readonly instanceId: string;
}

export interface Infrastructure {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly registry: SchemaRegistry;
  readonly mongo: MongoConnection;
}

/**
 * Connect to the three shared dependencies (MongoDB, the Schema Registry, Kafka), create the
 * topics this service needs if missing, and register their readiness checks and closing steps.
 */
export async function connectInfrastructure(
  service: string,
  settings: InfrastructureSettings,
  topics: readonly TopicSpec[],
  ctx: ServiceContext,
  opts: {
    /**
     * Keep checking the dependencies for /readyz after start (the default). An HTTP front end
     * turns this off: during an outage it stays routable and answers 503 itself.
     */
    liveReadiness?: boolean;
  } = {},
): Promise<Infrastructure> {
  const live = opts.liveReadiness ?? true;
  const { logger, readiness, lifecycle } = ctx;

  const mongo = await connectMongo({
    url: settings.mongoUrl,
    database: settings.mongoDatabase,
    appName: service,
    onReplaced: (reason) => logger.warn({ reason }, 'replaced the MongoDB client (its server monitor was stuck)'),
  });
  lifecycle.onShutdown('close', 'mongo', () => mongo.close());
  if (live) readiness.add('mongo', () => mongo.ping());

  const registry = createSchemaRegistry({ url: settings.schemaRegistryUrl });
  if (!(await pingSchemaRegistry(settings.schemaRegistryUrl, 5_000))) {
    throw new Error(`schema registry at ${settings.schemaRegistryUrl} did not answer`);
  }
  if (live) readiness.add('schema-registry', () => pingSchemaRegistry(settings.schemaRegistryUrl));

  const kafka = createKafka({
    brokers: settings.kafkaBrokers,
    clientId: `longhaul-${service}-${settings.instanceId}`,
    logger: logger.child({ component: 'kafka' }),
    security: kafkaSecurity(settings),
  });
  const admin = kafka.admin();
  await admin.connect();
  lifecycle.onShutdown('close', 'kafka-admin', () => admin.disconnect());
  const created = await ensureTopics(admin, topics);
  if (created.length > 0) logger.info({ topics: created }, 'created topics');

  return { kafka, admin, registry, mongo };
}
