/**
 * `rebuild`: rebuild the job read model from the topics into a fresh collection and switch to
 * it while the projector runs (how: rebuild/rebuild-read-model.ts; why and what retention it
 * needs: docs/architecture.md, "Rebuilding the read model"). Run it where the projector runs,
 * with the same environment:
 *
 *   node services/projector/dist/rebuild.js [--keep-previous]
 *
 * Progress goes to stderr, the summary (JSON) to stdout. Exit 0 switched, 1 failed or
 * interrupted (nothing changed), 2 bad usage, 78 bad configuration.
 */
import { ConfigError } from '@longhaul/config';
import { createEventCodec } from '@longhaul/contracts';
import { topicSpecs } from '@longhaul/kafka';
import {
  connectInfrastructure,
  createLifecycle,
  createLogger,
  createReadiness,
  EXIT_CONFIG,
  type ServiceContext,
} from '@longhaul/runtime';
import { createMetrics } from '@longhaul/telemetry';
import { loadProjectorConfig, projectorGroupId, type ProjectorConfig } from './config';
import { createProjectorMetrics } from './metrics';
import { rebuildReadModel } from './rebuild/rebuild-read-model';

const USAGE = 'usage: rebuild [--keep-previous]';
const say = (line: string) => process.stderr.write(`rebuild | ${line}\n`);

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = args.filter((a) => a !== '--keep-previous');
  if (unknown.length > 0) {
    say(`unknown argument ${JSON.stringify(unknown[0]!.slice(0, 40))}; ${USAGE}`);
    return 2;
  }
  let config: ProjectorConfig;
  try {
    config = loadProjectorConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const line of err.lines()) say(line);
    return EXIT_CONFIG;
  }
  const logger = createLogger({ service: 'projector-rebuild', level: config.logLevel });
  const readiness = createReadiness();
  const ctx: ServiceContext = {
    logger,
    readiness,
    metrics: createMetrics({ service: 'projector-rebuild' }),
    lifecycle: createLifecycle({ logger, readiness, deadlineMs: config.shutdownTimeoutMs }),
  };
  let interrupt = () => {};
  const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
  process.once('SIGINT', () => {
    say('interrupted: giving the read model back unchanged');
    interrupt();
  });
  process.once('SIGTERM', () => interrupt());
  try {
    const topics = topicSpecs(config);
    const infra = await connectInfrastructure('projector-rebuild', config, [topics.requested, topics.events], ctx, {
      liveReadiness: false,
    });
    const codec = createEventCodec(infra.registry, config.topicPrefix);
    const summary = await rebuildReadModel({
      db: infra.mongo.db,
      kafka: infra.kafka,
      admin: infra.admin,
      codec,
      metrics: createProjectorMetrics(ctx.metrics),
      logger,
      say,
      interrupted,
      settings: {
        topics: [topics.requested.topic, topics.events.topic],
        liveGroup: projectorGroupId(config.topicPrefix),
        topicPrefix: config.topicPrefix,
        retentionMs: config.retentionMs,
        concurrentPartitions: config.concurrentPartitions,
        writeLanes: config.writeLanes,
        sweepBatchSize: config.sweepBatchSize,
        // Readers look at the pointer every LONGHAUL_READ_MODEL_POLL_MS; give them three looks.
        switchGraceMs: 3 * config.pointerPollMs + 2_000,
        keepPrevious: args.includes('--keep-previous'),
      },
    });
    if (summary.truncatedPartitions.length > 0)
      say(
        `warning: the topics' retention already removed the oldest events of ${summary.truncatedPartitions.length} partitions; jobs requested before then are not in the rebuilt read model`,
      );
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  } catch (err) {
    logger.error({ err }, 'rebuild failed');
    say(`failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await ctx.lifecycle.shutdown('rebuild finished');
    logger.flush();
  }
}

void main().then((code) => process.exit(code));
