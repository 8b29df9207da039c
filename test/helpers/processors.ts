import { createEventCodec, createSchemaRegistry, type LonghaulEvent } from '@longhaul/contracts';
import { topicNames } from '@longhaul/kafka';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import type { IngressUnderTest } from './ingress';
import { startWorker, type WorkerUnderTest } from './service-process';
import { testStack, uniqueName } from './stack';
import { tenants } from './tenants';
import { waitFor } from './wait';

export type ProcessorUnderTest = WorkerUnderTest;

/** A processor process on the ingress's topics and database, ready (joined its group) when this resolves. */
export function startProcessor(
  ingress: Pick<IngressUnderTest, 'prefix' | 'database'>,
  extra: NodeJS.ProcessEnv = {},
  name = uniqueName('proc'),
): Promise<ProcessorUnderTest> {
  return startWorker('processor', {
    prefix: ingress.prefix,
    database: ingress.database,
    name,
    extra: {
      LONGHAUL_PROCESSOR_LEASE_MS: '6000',
      LONGHAUL_PROCESSOR_LEASE_RENEW_MS: '1000',
      LONGHAUL_PROCESSOR_SESSION_TIMEOUT_MS: '8000',
      LONGHAUL_PROCESSOR_ABORT_GRACE_MS: '2000',
      ...extra,
    },
  });
}

export interface EventLog {
  /**
   * Every distinct event seen so far about the job, in the order read (per job, the order
   * published). A re-publication of the same event (same id: a redelivery re-announcing an
   * outcome) is listed once; `copies` counts them all.
   */
  of(jobId: string): LonghaulEvent[];
  copies(jobId: string): number;
  all(): LonghaulEvent[];
  /** Wait until the job's events satisfy `done`; returns them. */
  waitFor(
    jobId: string,
    what: string,
    done: (events: LonghaulEvent[]) => boolean,
    timeoutMs?: number,
  ): Promise<LonghaulEvent[]>;
  stop(): Promise<void>;
}

export const isTerminal = (e: LonghaulEvent) =>
  e.eventType === 'JobSucceeded' || e.eventType === 'JobFailed' || e.eventType === 'JobCancelled';

/** Follow topics of a prefix (by default the events and dead letters) from the beginning, decoding every message. */
export async function followEvents(
  prefix: string,
  which: readonly (keyof ReturnType<typeof topicNames>)[] = ['events', 'deadLetters'],
  brokers: string[] = testStack().kafkaBrokers,
): Promise<EventLog> {
  const stack = testStack();
  const codec = createEventCodec(createSchemaRegistry({ url: stack.schemaRegistryUrl }), prefix);
  const kafka = new Kafka({
    clientId: 'longhaul-test',
    brokers,
    logLevel: process.env['LONGHAUL_TEST_KAFKA_LOG'] === 'debug' ? logLevel.INFO : logLevel.NOTHING,
  });
  const consumer: Consumer = kafka.consumer({ groupId: uniqueName('it-events'), maxWaitTimeInMs: 100 });
  const names = topicNames(prefix);
  const byJob = new Map<string, LonghaulEvent[]>();
  const copies = new Map<string, number>();
  const seenIds = new Set<string>();
  const all: LonghaulEvent[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: which.map((t) => names[t]), fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = await codec.decode(message);
      copies.set(event.jobId, (copies.get(event.jobId) ?? 0) + 1);
      if (seenIds.has(event.eventId)) return;
      seenIds.add(event.eventId);
      all.push(event);
      const list = byJob.get(event.jobId) ?? [];
      list.push(event);
      byJob.set(event.jobId, list);
    },
  });
  const of = (jobId: string) => byJob.get(jobId) ?? [];
  return {
    of,
    copies: (jobId) => copies.get(jobId) ?? 0,
    all: () => all,
    waitFor: (jobId, what, done, timeoutMs = 30_000) =>
      waitFor(`${what} (job ${jobId})`, () => (done(of(jobId)) ? of(jobId) : undefined), { timeoutMs, intervalMs: 50 }),
    // Bounded: a kafkajs consumer caught in a rejoin can take minutes to disconnect.
    stop: () =>
      Promise.race([consumer.disconnect(), new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref())]),
  };
}

export const ofType = <T extends LonghaulEvent['eventType']>(events: LonghaulEvent[], type: T) =>
  events.filter((e): e is Extract<LonghaulEvent, { eventType: T }> => e.eventType === type);

/** Submit a job as tenant acme and return its id (the 202 is asserted). */
export async function submitJob(
  api: Pick<IngressUnderTest, 'call'>,
  type: string,
  payload: unknown,
  options?: Record<string, number>,
): Promise<string> {
  const res = await api.call<{ id: string }>('POST', '/v1/jobs', {
    key: tenants.acme.key,
    body: { type, payload, ...(options ? { options } : {}) },
  });
  if (res.status !== 202) throw new Error(`submitting ${type} answered ${res.status}: ${res.text}`);
  return res.body.id;
}
