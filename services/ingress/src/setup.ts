/**
 * `setup`: create the topics that are missing and check the ones that exist (partitions,
 * replication, min.insync.replicas, unclean leader election), then register every event
 * schema. The Helm chart runs it as a pre-install/pre-upgrade hook, so topics get the
 * production settings before any service creates them with the broker's defaults:
 *
 *   node services/ingress/dist/setup.js
 *
 * Reads the common settings (no MongoDB). One line per problem on stderr. Exit 0 ready,
 * 1 a topic differs or the brokers/registry failed, 78 bad configuration.
 */
import { ConfigError, commonSettings, loadConfig } from '@longhaul/config';
import { createEventCodec, createSchemaRegistry, eventTypes } from '@longhaul/contracts';
import { createKafka, describeTopics, ensureTopics, kafkaSecurity, topicProblems, topicSpecs } from '@longhaul/kafka';
import { EXIT_CONFIG, createLogger } from '@longhaul/runtime';

const { mongoUrl: _url, mongoDatabase: _db, ...setupSettings } = commonSettings;
const say = (line: string) => process.stderr.write(`setup | ${line}\n`);

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig(process.env, setupSettings);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const line of err.lines()) say(line);
    return EXIT_CONFIG;
  }
  const logger = createLogger({ service: 'setup', level: config.logLevel });
  const kafka = createKafka({
    brokers: config.kafkaBrokers,
    clientId: `longhaul-setup-${config.instanceId}`,
    logger: logger.child({ component: 'kafka' }),
    security: kafkaSecurity(config),
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const specs = Object.values(topicSpecs(config));
    // Only the missing ones: ensureTopics waits for every asked-for partition, which a topic
    // with fewer than asked never gets; those are reported below instead.
    const existing = new Set(await admin.listTopics());
    const created = await ensureTopics(
      admin,
      specs.filter((s) => !existing.has(s.topic)),
    );
    for (const topic of created) say(`created ${topic}`);
    const problems = topicProblems(
      specs,
      await describeTopics(
        admin,
        specs.map((s) => s.topic),
      ),
    );
    for (const line of problems) say(line);
    const codec = createEventCodec(createSchemaRegistry({ url: config.schemaRegistryUrl }), config.topicPrefix);
    await codec.register(eventTypes);
    say(`${specs.length} topics checked, ${eventTypes.length} schemas registered`);
    return problems.length === 0 ? 0 : 1;
  } catch (err) {
    say(`failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await admin.disconnect().catch(() => {});
    logger.flush();
  }
}

void main().then((code) => process.exit(code));
