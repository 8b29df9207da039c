import { eventTypes } from '@longhaul/contracts';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { startService } from '../helpers/service-process';
import { testStack, uniqueName } from '../helpers/stack';

// The setup command the Helm chart's pre-install/pre-upgrade hook runs (services/ingress/src/setup.ts).
function setupEnv(prefix: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const stack = testStack();
  return {
    LONGHAUL_KAFKA_BROKERS: stack.kafkaBrokers.join(','),
    LONGHAUL_SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
    LONGHAUL_TOPIC_PREFIX: prefix,
    LONGHAUL_REQUESTED_PARTITIONS: '3',
    LONGHAUL_EVENTS_PARTITIONS: '2',
    LONGHAUL_TOPIC_REPLICATION_FACTOR: '1',
    LONGHAUL_TOPIC_MIN_INSYNC_REPLICAS: '1',
    ...extra,
  };
}

async function runSetup(env: NodeJS.ProcessEnv) {
  const setup = startService('ingress', env, 'setup.js');
  const { code } = await setup.exited;
  return { code, output: setup.output() };
}

describe('setup (the chart hook): topics and schemas before the services start', () => {
  const prefix = `${uniqueName('setup')}.`;

  it('creates every topic with its partitions and safe settings, and registers every schema', async () => {
    const { code, output } = await runSetup(setupEnv(prefix));
    expect(output).toContain(`created ${prefix}jobs.requested`);
    expect(code).toBe(0);

    const admin = new Kafka({ brokers: testStack().kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [`${prefix}jobs.requested`, `${prefix}jobs.retry`] });
      expect(topics.map((t) => t.partitions.length)).toEqual([3, 3]);
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: `${prefix}jobs.events` }],
      });
      const configs = Object.fromEntries(resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
      expect(configs['unclean.leader.election.enable']).toBe('false');
      expect(configs['min.insync.replicas']).toBe('1');
      expect(configs['retention.ms']).toBe(String(336 * 3_600_000));
    } finally {
      await admin.disconnect();
    }
    const subjects = (await (await fetch(`${testStack().schemaRegistryUrl}/subjects`)).json()) as string[];
    const ours = subjects.filter((s) => s.startsWith(prefix));
    expect(ours).toHaveLength(eventTypes.length);
    expect(ours).toContain(`${prefix}jobs.requested-io.longhaul.jobs.v1.JobRequested`);
  });

  it('a second run finds everything in place and changes nothing', async () => {
    const { code, output } = await runSetup(setupEnv(prefix));
    expect(code).toBe(0);
    expect(output).not.toContain('created');
  });

  it('fails naming each topic that has fewer partitions or replicas than asked', async () => {
    const { code, output } = await runSetup(
      setupEnv(prefix, { LONGHAUL_REQUESTED_PARTITIONS: '6', LONGHAUL_TOPIC_REPLICATION_FACTOR: '3' }),
    );
    expect(code).toBe(1);
    expect(output).toContain(`topic ${prefix}jobs.requested has 3 partitions, 6 are asked for`);
    expect(output).toContain(`topic ${prefix}jobs.events has 1 replicas, 3 are asked for`);
  });

  it('exits 78 naming a missing setting', async () => {
    const env = setupEnv(prefix);
    delete env['LONGHAUL_KAFKA_BROKERS'];
    const { code, output } = await runSetup(env);
    expect(code).toBe(78);
    expect(output).toContain('config error: LONGHAUL_KAFKA_BROKERS is required but not set');
  });
});
