/**
 * bench:projector — (a) catch-up: events applied per second when a projector starts in front of
 * a backlog of 100,000 events (about 14,300 jobs × 7: the request, five lifecycle events of a run
 * taken over once, and one late event from the run that lost its lease); (b) projection lag at a steady 1,000 events/s: from an
 * event's time to its state change arriving on the state topic (that is after the write and the
 * publish, so it bounds the write lag from above). The benchmark runs its own projector on its
 * own topic prefix and database, so the stack's projector does not compete for the events.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { createEventCodec, createSchemaRegistry, type JobStateChanged, type LonghaulEvent } from '@longhaul/contracts';
import { durableProducer, topicNames } from '@longhaul/kafka';
import { benchEnv, median, numberSetting, percentile, runMain, writeResults } from './results';
import { databaseServer, isolatedServiceEnv, startBenchService, type BenchService } from './service-process';

const env = benchEnv();
const setting = numberSetting;
const settings = {
  backlog: setting('LONGHAUL_BENCH_BACKLOG', 100_000),
  catchUpRuns: setting('LONGHAUL_BENCH_CATCHUP_RUNS', 3),
  rate: setting('LONGHAUL_BENCH_RATE', 1_000),
  seconds: setting('LONGHAUL_BENCH_SECONDS', 20),
  partitions: setting('LONGHAUL_BENCH_PARTITIONS', 12),
};
const TARGETS = { catchUpEventsPerSecond: 5_000, lagP99Ms: 250 };

const mongoUrl = process.env['LONGHAUL_BENCH_MONGO_URL'] ?? '';
const runId = Date.now().toString(36);
const prefix = `bench-proj-${runId}.`;
const database = `bench-proj-${runId}`;
const topics = topicNames(prefix);

const say = (line: string) => process.stdout.write(`${line}\n`);

/* ── the events ──────────────────────────────────────────────────────────────────────── */

/** A ULID-shaped id (the projector takes the creation time from its first 10 characters). */
function jobId(time: number): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let t = time;
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = alphabet[t % 32]! + head;
    t = Math.floor(t / 32);
  }
  let tail = '';
  for (let i = 0; i < 16; i++) tail += alphabet[Math.floor(Math.random() * 32)]!;
  return head + tail;
}

/** One job's events, as a run that was taken over once would publish them, plus a late one. */
function jobEvents(time: () => number): LonghaulEvent[] {
  const base = { jobId: jobId(Date.now()), tenant: 'bench', jobType: 'report.generate', attempt: 1 };
  const e = <T extends object>(fields: T) => ({ ...base, eventId: randomUUID(), time: time(), ...fields });
  return [
    e({
      eventType: 'JobRequested' as const,
      epoch: 0,
      sequence: 0,
      payload: '{"steps":4,"stepMs":1}',
      maxAttempts: 3,
      timeoutMs: 60_000,
      webhook: null,
      redriveOf: null,
    }),
    e({ eventType: 'JobStarted' as const, epoch: 1, sequence: 1, worker: 'w1', resumedFromCheckpoint: false }),
    e({ eventType: 'JobProgressed' as const, epoch: 1, sequence: 2, percent: 30, stage: 'a', message: null }),
    e({ eventType: 'JobStarted' as const, epoch: 2, sequence: 1, worker: 'w2', resumedFromCheckpoint: true }),
    e({ eventType: 'JobProgressed' as const, epoch: 2, sequence: 2, percent: 60, stage: 'b', message: null }),
    e({ eventType: 'JobSucceeded' as const, epoch: 2, sequence: 3, result: '{"ok":true}', durationMs: 5 }),
    // Late, from the run that lost its lease: ignored as stale.
    e({
      eventType: 'JobFailed' as const,
      epoch: 1,
      sequence: 9,
      error: { type: 'urn:bench', title: 'late', detail: null, retriable: false },
    }),
  ] as LonghaulEvent[];
}

const EVENTS_PER_JOB = jobEvents(Date.now).length;

/* ── the projector under test ────────────────────────────────────────────────────────── */

function startProjector(): Promise<BenchService> {
  return startBenchService('projector', {
    ...isolatedServiceEnv({ ...env, mongoUrl, database, prefix, partitions: settings.partitions }),
  });
}

/** Events the projector has taken care of (applied or ignored), from its metrics. */
async function handled(opsUrl: string): Promise<number> {
  const text = await (await fetch(`${opsUrl}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (/^longhaul_projector_events_(applied|ignored)_total\{/.test(line)) sum += Number(line.split(' ').at(-1));
  }
  return sum;
}

/* ── the run ─────────────────────────────────────────────────────────────────────────── */

async function main() {
  const registry = createSchemaRegistry({ url: env.schemaRegistryUrl });
  const codec = createEventCodec(registry, prefix);
  const kafka = new Kafka({ clientId: 'bench-projector', brokers: env.kafkaBrokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer(durableProducer);
  await producer.connect();
  const send = async (events: readonly LonghaulEvent[]) => {
    const encoded = await Promise.all(events.map((e) => codec.encode(e)));
    const byTopic = new Map<string, { key: string; value: Buffer; headers: Record<string, string> }[]>();
    for (const m of encoded) {
      const list = byTopic.get(m.topic) ?? [];
      list.push({ key: m.key, value: m.value, headers: m.headers });
      byTopic.set(m.topic, list);
    }
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  };

  // A first start creates the topics and the indexes; the projector then stops, as after a deploy.
  let projector = await startProjector();
  await projector.stop();
  const mongo = new MongoClient(mongoUrl);
  const server = await databaseServer(mongo.db(database));
  say(`database server: ${server}`);

  /* (a) catch-up */
  const catchUps: { events: number; seconds: number; eventsPerSecond: number; readyMs: number }[] = [];
  for (let run = 1; run <= settings.catchUpRuns; run++) {
    const jobs = Math.ceil(settings.backlog / EVENTS_PER_JOB);
    const sendStart = Date.now();
    for (let i = 0; i < jobs; i += 500) {
      await send(Array.from({ length: Math.min(500, jobs - i) }, () => jobEvents(Date.now)).flat());
    }
    const events = jobs * EVENTS_PER_JOB;
    say(`catch-up ${run}: ${events} events produced in ${((Date.now() - sendStart) / 1000).toFixed(1)} s`);
    const spawned = Date.now();
    projector = await startProjector();
    const ready = Date.now();
    // A fresh process: its counters start at zero, and the backlog is all it has to handle.
    let done = await handled(projector.opsUrl);
    while (done < events) {
      if (Date.now() - ready > 600_000) throw new Error(`catch-up stalled at ${done} of ${events}`);
      await delay(50);
      done = await handled(projector.opsUrl);
    }
    const seconds = (Date.now() - ready) / 1000;
    catchUps.push({ events, seconds, eventsPerSecond: Math.round(events / seconds), readyMs: ready - spawned });
    say(
      `catch-up ${run}: ${events} events in ${seconds.toFixed(2)} s after joining = ${Math.round(events / seconds)} events/s (joined ${ready - spawned} ms after start)`,
    );
    if (run < settings.catchUpRuns) await projector.stop();
  }
  const jobsInDb = await mongo.db(database).collection('jobs').countDocuments({ status: 'succeeded' });
  say(`read model: ${jobsInDb} succeeded jobs`);

  /* (b) lag at a steady rate */
  const lags: number[] = [];
  const consumer = kafka.consumer({ groupId: `bench-proj-lag-${runId}`, maxWaitTimeInMs: 20 });
  await consumer.connect();
  await consumer.subscribe({ topic: topics.state, fromBeginning: false });
  let assigned = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (assigned = true));
  const measuring = { from: 0 };
  await consumer.run({
    eachMessage: async ({ message }) => {
      const received = Date.now();
      const change = (await codec.decode(message)) as JobStateChanged;
      if (change.eventType === 'JobStateChanged' && change.cause.time >= measuring.from)
        lags.push(received - change.cause.time);
    },
  });
  while (!assigned) await delay(100);
  await delay(3_000); // the consumer starts at the end of each partition only once it fetched
  const tickMs = 100;
  const jobsPerTick = Math.max(1, Math.round((settings.rate * tickMs) / 1000 / EVENTS_PER_JOB));
  measuring.from = Date.now();
  const stopAt = measuring.from + settings.seconds * 1000;
  let sent = 0;
  // Each job's events go out over one tick in order, each stamped as it is sent.
  for (let next = Date.now(); Date.now() < stopAt; next += tickMs) {
    const batch = Array.from({ length: jobsPerTick }, () => jobEvents(Date.now)).flat();
    await send(batch);
    sent += batch.length;
    const wait = next + tickMs - Date.now();
    if (wait > 0) await delay(wait);
  }
  const offered = sent / settings.seconds;
  const acceptedPerJob = 6; // request + 5 lifecycle changes; the late event changes nothing
  const expected = (sent / EVENTS_PER_JOB) * acceptedPerJob;
  const waitUntil = Date.now() + 30_000;
  while (lags.length < expected && Date.now() < waitUntil) await delay(200);
  const sorted = [...lags].sort((a, b) => a - b);
  const lag = { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
  say(
    `steady ${Math.round(offered)} events/s for ${settings.seconds} s: lag to the state topic p50 ${lag.p50} ms, p99 ${lag.p99} ms, max ${lag.max} ms (${lag.n} of ${expected} changes)`,
  );

  await consumer.disconnect();
  await projector.stop();
  await producer.disconnect();
  await mongo.db(database).dropDatabase();
  await mongo.close();

  const catchUpMedian = median(catchUps.map((c) => c.eventsPerSecond));
  const results = {
    server,
    settings,
    catchUp: { runs: catchUps, medianEventsPerSecond: catchUpMedian, target: TARGETS.catchUpEventsPerSecond },
    steady: { offeredEventsPerSecond: Math.round(offered), lagMs: lag, target: { p99: TARGETS.lagP99Ms } },
  };
  const file = writeResults(env.resultsDir, 'projector', results);
  say(
    `\ncatch-up median ${catchUpMedian} events/s (target ≥ ${TARGETS.catchUpEventsPerSecond}: ${catchUpMedian >= TARGETS.catchUpEventsPerSecond ? 'met' : 'missed'}); ` +
      `lag p99 ${lag.p99} ms at ${Math.round(offered)} events/s (target ≤ ${TARGETS.lagP99Ms}: ${lag.p99 <= TARGETS.lagP99Ms ? 'met' : 'missed'})`,
  );
  say(`results: ${file}`);
}

runMain('projector', main);
