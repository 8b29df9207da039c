import { randomUUID } from 'node:crypto';
import { createEventCodec, createSchemaRegistry, type LonghaulEvent } from '@longhaul/contracts';
import { durableProducer } from '@longhaul/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { startWorker, type WorkerUnderTest } from './service-process';
import { testStack, uniqueName } from './stack';

/** A projector process on the given topics and database, ready (joined its group) when this resolves. */
export function startProjector(
  on: { prefix: string; database: string },
  extra: NodeJS.ProcessEnv = {},
  name = uniqueName('proj'),
): Promise<WorkerUnderTest> {
  return startWorker('projector', {
    prefix: on.prefix,
    database: on.database,
    name,
    extra: { LONGHAUL_PROJECTOR_SESSION_TIMEOUT_MS: '8000', ...extra },
  });
}

export interface EventFeed {
  /** Publish events as the processors and ingress would (keyed by job id, acks=all), in this order. */
  send(events: readonly LonghaulEvent[]): Promise<void>;
  stop(): Promise<void>;
}

/** Produce hand-made events straight onto a prefix's topics, through the real codec and registry. */
export async function eventFeed(prefix: string, brokers: string[] = testStack().kafkaBrokers): Promise<EventFeed> {
  const codec = createEventCodec(createSchemaRegistry({ url: testStack().schemaRegistryUrl }), prefix);
  const kafka = new Kafka({ clientId: 'longhaul-test-feed', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer(durableProducer);
  await producer.connect();
  return {
    async send(events) {
      for (let i = 0; i < events.length; i += 2_000) {
        const encoded = await Promise.all(events.slice(i, i + 2_000).map((e) => codec.encode(e)));
        const byTopic = new Map<string, typeof encoded>();
        for (const m of encoded) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
        await producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, ms]) => ({
            topic,
            messages: ms.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
          })),
        });
      }
    },
    stop: () => producer.disconnect(),
  };
}

/**
 * A job's events as a processor run would publish them (one attempt, taken over once, then
 * succeeded at epoch 2, sequence 4, progress 80: 7 accepted changes), and a late event from the
 * run that lost its lease.
 */
export function jobScript(jobId: string, time = Date.now()) {
  const base = { jobId, tenant: 'acme', jobType: 'report.generate', attempt: 1, time };
  const id = () => randomUUID();
  const requested: LonghaulEvent = {
    ...base,
    eventId: id(),
    eventType: 'JobRequested',
    epoch: 0,
    sequence: 0,
    payload: '{"steps":4,"stepMs":1}',
    maxAttempts: 3,
    timeoutMs: 60_000,
    webhook: { url: 'https://hooks.example.com/x', events: [], hasSecret: false },
    redriveOf: null,
  };
  const started = (epoch: number): LonghaulEvent => ({
    ...base,
    eventId: id(),
    eventType: 'JobStarted',
    epoch,
    sequence: 1,
    worker: `w${epoch}`,
    resumedFromCheckpoint: epoch > 1,
  });
  const progress = (epoch: number, sequence: number, percent: number): LonghaulEvent => ({
    ...base,
    eventId: id(),
    eventType: 'JobProgressed',
    epoch,
    sequence,
    percent,
    stage: `at ${percent}`,
    message: null,
  });
  const succeeded: LonghaulEvent = {
    ...base,
    eventId: id(),
    eventType: 'JobSucceeded',
    epoch: 2,
    sequence: 4,
    result: `{"job":"${jobId}"}`,
    durationMs: 10,
  };
  // A late event from the run that lost its lease (epoch 1): it must change nothing.
  const zombie: LonghaulEvent = {
    ...base,
    eventId: id(),
    eventType: 'JobFailed',
    epoch: 1,
    sequence: 9,
    error: { type: 'urn:x', title: 'from a run that lost its lease', detail: null, retriable: false },
  };
  const lifecycle = [started(1), progress(1, 2, 30), started(2), progress(2, 2, 50), progress(2, 3, 80), succeeded];
  return { requested, lifecycle, zombie };
}
