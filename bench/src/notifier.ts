/**
 * bench:notifier — (a) deliveries per second: a notifier starts in front of a backlog of state
 * changes (20,000 by default: jobs of started and succeeded, each with its own webhook) and
 * delivers them all to one local receiver; (b) event → delivery latency at a steady 200
 * changes/s (jobs of started, two progress, succeeded): from the change's time to its arrival at
 * the receiver (fan-out write, signing and the HTTP round trip included). The benchmark runs its
 * own notifier on its own topic prefix and database, and its own receiver, which answers 204 at
 * once. (c) event → SSE latency under light load, through the stack's own API.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { durableProducer } from '@longhaul/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { createEventCodec, createSchemaRegistry, type JobStateChanged } from '@longhaul/contracts';
import { benchEnv, median, numberSetting, percentile, runMain, writeResults } from './results';
import { databaseServer, isolatedServiceEnv, startBenchService, type BenchService } from './service-process';

const env = benchEnv();
const settings = {
  backlog: numberSetting('LONGHAUL_BENCH_BACKLOG', 10_000),
  runs: numberSetting('LONGHAUL_BENCH_RUNS', 3),
  rate: numberSetting('LONGHAUL_BENCH_RATE', 200),
  seconds: numberSetting('LONGHAUL_BENCH_SECONDS', 20),
  partitions: numberSetting('LONGHAUL_BENCH_PARTITIONS', 12),
  endpointConcurrency: numberSetting('LONGHAUL_BENCH_ENDPOINT_CONCURRENCY', 16),
  sseJobs: numberSetting('LONGHAUL_BENCH_SSE_JOBS', 20),
};
const TARGETS = { deliveriesPerSecond: 1_500, latencyP99Ms: 150, sseP99Ms: 250 };

const mongoUrl = process.env['LONGHAUL_BENCH_MONGO_URL'] ?? '';
const runId = Date.now().toString(36);
const prefix = `bench-notif-${runId}.`;
const database = `bench-notif-${runId}`;
const say = (line: string) => process.stdout.write(`${line}\n`);

/** A local receiver: counts distinct webhook-ids and notes when each change arrived. */
async function startReceiver() {
  const seen = new Set<string>();
  const latencies: number[] = [];
  const state = { measuring: false, last: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const id = String(req.headers['webhook-id']);
      if (!seen.has(id)) {
        seen.add(id);
        state.last = at;
        if (state.measuring) {
          const sent = Date.parse((JSON.parse(Buffer.concat(chunks).toString()) as { timestamp: string }).timestamp);
          latencies.push(at - sent);
        }
      }
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, seen, latencies, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * One job's accepted changes, as the projector would announce them, each stamped when made.
 * Without progress (`lifecycleOnly`), none can be collapsed: every one is delivered.
 */
function jobChanges(url: string, lifecycleOnly = false): JobStateChanged[] {
  const jobId = randomUUID();
  const createdAt = Date.now();
  const steps = [
    { cause: 'JobStarted', status: 'running', percent: null },
    { cause: 'JobProgressed', status: 'running', percent: 40 },
    { cause: 'JobProgressed', status: 'running', percent: 80 },
    { cause: 'JobSucceeded', status: 'succeeded', percent: 100 },
  ] as const;
  return steps
    .filter((s) => !lifecycleOnly || s.cause !== 'JobProgressed')
    .map((s, i) => {
      const time = Date.now();
      return {
        eventId: randomUUID(),
        eventType: 'JobStateChanged',
        jobId,
        tenant: 'bench',
        jobType: 'report.generate',
        attempt: 1,
        epoch: 1,
        sequence: i + 1,
        time,
        version: i + 2,
        cause: { eventId: randomUUID(), eventType: s.cause, time },
        status: s.status,
        progress: s.percent === null ? null : { percent: s.percent, stage: 'step', message: null, updatedAt: time },
        maxAttempts: 3,
        nextAttemptAt: null,
        result: s.status === 'succeeded' ? '{"rows":42}' : null,
        error: null,
        createdAt,
        startedAt: createdAt,
        finishedAt: s.status === 'succeeded' ? time : null,
        webhook: { url, events: [], hasSecret: false },
        redriveOf: null,
      };
    });
}

function startNotifier(): Promise<BenchService> {
  return startBenchService('notifier', {
    ...isolatedServiceEnv({ ...env, mongoUrl, database, prefix, partitions: settings.partitions }),
    LONGHAUL_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    LONGHAUL_WEBHOOK_ALLOW_HTTP: 'true',
    LONGHAUL_WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
    LONGHAUL_WEBHOOK_ENDPOINT_CONCURRENCY: String(settings.endpointConcurrency),
    ...(process.env['LONGHAUL_WEBHOOK_ENDPOINT_QUEUE']
      ? { LONGHAUL_WEBHOOK_ENDPOINT_QUEUE: process.env['LONGHAUL_WEBHOOK_ENDPOINT_QUEUE'] }
      : {}),
  });
}

async function main() {
  const codec = createEventCodec(createSchemaRegistry({ url: env.schemaRegistryUrl }), prefix);
  const kafka = new Kafka({ clientId: 'bench-notifier', brokers: env.kafkaBrokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer(durableProducer);
  await producer.connect();
  type Encoded = Awaited<ReturnType<typeof codec.encode>>;
  const encode = (changes: readonly JobStateChanged[]) => Promise.all(changes.map((c) => codec.encode(c)));
  const sendEncoded = (encoded: readonly Encoded[]) =>
    producer.send({
      topic: encoded[0]!.topic,
      acks: -1,
      messages: encoded.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
    });
  const send = async (changes: readonly JobStateChanged[]) => {
    await sendEncoded(await encode(changes));
  };
  const receiver = await startReceiver();

  const notifier = await startNotifier();
  // Past the first seconds after it gains its partitions (when it stores before it sends).
  await delay(6_000);
  const mongo = new MongoClient(mongoUrl);
  const server = await databaseServer(mongo.db(database));
  say(`database server: ${server}`);

  /* (a) deliveries per second: a burst of changes, produced as fast as Kafka takes them */
  const runs: { deliveries: number; seconds: number; deliveriesPerSecond: number }[] = [];
  for (let run = 1; run <= settings.runs; run++) {
    const jobs = Math.ceil(settings.backlog / 2);
    const expected = receiver.seen.size + jobs * 2;
    // Encoded first, so the burst goes out as fast as Kafka takes it (stamped as it is made).
    const chunks: Encoded[][] = [];
    for (let i = 0; i < jobs; i += 1_000)
      chunks.push(
        await encode(Array.from({ length: Math.min(1_000, jobs - i) }, () => jobChanges(receiver.url, true)).flat()),
      );
    const ready = Date.now();
    await Promise.all(chunks.map((c) => sendEncoded(c)));
    say(`run ${run}: ${jobs * 2} changes produced in ${((Date.now() - ready) / 1000).toFixed(2)} s`);
    const trace = process.env['LONGHAUL_BENCH_TRACE']
      ? setInterval(() => {
          void fetch(`${notifier.opsUrl}/metrics`)
            .then((r) => r.text())
            .then((t) => {
              const pick = (name: string) =>
                t
                  .split('\n')
                  .filter((l) => l.startsWith(name))
                  .map((l) => Number(l.split(' ').at(-1)))
                  .reduce((a, b) => a + b, 0);
              say(
                `  consumed ${pick('longhaul_notifier_messages_consumed_total')} scheduled ${pick('longhaul_webhook_deliveries_scheduled_total')} ` +
                  `attempts ${pick('longhaul_webhook_attempts_total')} in flight ${pick('longhaul_webhook_attempts_in_flight')} received ${receiver.seen.size} ` +
                  `memory ready/waiting/sending ${['ready', 'waiting', 'sending'].map((w) => pick(`longhaul_webhook_deliveries_in_memory{where="${w}"`)).join('/')}`,
              );
            });
        }, 1_000)
      : undefined;
    while (receiver.seen.size < expected) {
      if (Date.now() - receiver.state.last > 30_000 && Date.now() - ready > 30_000) {
        const metrics = await fetch(`${notifier.opsUrl}/metrics`).then((r) => r.text());
        const lines = metrics.split('\n').filter((l) => /^longhaul_(webhook|notifier)_[a-z_]+(\{[^}]*\})? /.test(l));
        throw new Error(
          `deliveries stalled at ${receiver.seen.size} of ${expected}; the notifier's figures:\n${lines.join('\n')}`,
        );
      }
      await delay(20);
    }
    clearInterval(trace);
    const seconds = (receiver.state.last - ready) / 1000;
    const deliveries = jobs * 2;
    runs.push({ deliveries, seconds, deliveriesPerSecond: Math.round(deliveries / seconds) });
    say(`run ${run}: ${deliveries} deliveries in ${seconds.toFixed(2)} s = ${Math.round(deliveries / seconds)}/s`);
  }

  /* (b) event → delivery latency at a steady rate */
  await delay(2_000);
  receiver.state.measuring = true;
  const tickMs = 100;
  const jobsPerTick = Math.max(1, Math.round((settings.rate * tickMs) / 1000 / 4));
  const startedAt = Date.now();
  const stopAt = startedAt + settings.seconds * 1000;
  let sent = 0;
  const before = receiver.seen.size;
  for (let next = Date.now(); Date.now() < stopAt; next += tickMs) {
    // Each job's four changes go out over one tick, each stamped as it is made.
    const batch = Array.from({ length: jobsPerTick }, () => jobChanges(receiver.url)).flat();
    await send(batch);
    sent += batch.length;
    const wait = next + tickMs - Date.now();
    if (wait > 0) await delay(wait);
  }
  const offered = sent / settings.seconds;
  // Progress may be collapsed while the endpoint is backed up: wait until deliveries stop.
  const waitUntil = Date.now() + 30_000;
  while (receiver.seen.size < before + sent && Date.now() < waitUntil && Date.now() - receiver.state.last < 3_000)
    await delay(100);
  const sorted = [...receiver.latencies].sort((a, b) => a - b);
  const latency = {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
  };
  say(
    `steady ${Math.round(offered)} changes/s for ${settings.seconds} s: event → delivery p50 ${latency.p50} ms, p99 ${latency.p99} ms, max ${latency.max} ms (${latency.n} of ${sent})`,
  );
  const stored = await mongo.db(database).collection('webhook_deliveries').countDocuments({ state: 'delivered' });
  say(`delivery records: ${stored} delivered`);

  await notifier.stop();
  const sse = await sseLatency(kafka);
  await producer.disconnect();
  await receiver.close();
  await mongo.db(database).dropDatabase();
  await mongo.close();

  const rate = median(runs.map((r) => r.deliveriesPerSecond));
  const results = {
    server,
    settings,
    throughput: { runs, medianDeliveriesPerSecond: rate, target: TARGETS.deliveriesPerSecond },
    steady: { offeredChangesPerSecond: Math.round(offered), latencyMs: latency, target: { p99: TARGETS.latencyP99Ms } },
    sse: { ...sse, target: { p99: TARGETS.sseP99Ms } },
  };
  const file = writeResults(env.resultsDir, 'notifier', results);
  say(
    `\ndeliveries median ${rate}/s (target ≥ ${TARGETS.deliveriesPerSecond}: ${rate >= TARGETS.deliveriesPerSecond ? 'met' : 'missed'}); ` +
      `event → delivery p99 ${latency.p99} ms at ${Math.round(offered)}/s (target ≤ ${TARGETS.latencyP99Ms}: ${latency.p99 <= TARGETS.latencyP99Ms ? 'met' : 'missed'})`,
  );
  say(
    `event → SSE p99 ${sse.latencyMs.p99} ms over ${sse.jobs} jobs (target ≤ ${TARGETS.sseP99Ms}: ${sse.latencyMs.p99 <= TARGETS.sseP99Ms ? 'met' : 'missed'})`,
  );
  say(`results: ${file}`);
}

/**
 * (c) event → SSE latency under light load, on the stack itself: jobs submitted one after
 * another through the API, each followed by `GET /v1/jobs/{id}/events`; every event's arrival
 * against its state change's time, read from the stack's state topic.
 */
async function sseLatency(kafka: Kafka) {
  const jobs = settings.sseJobs;
  const stackCodec = createEventCodec(createSchemaRegistry({ url: env.schemaRegistryUrl }), 'longhaul.');
  const changedAt = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: `bench-sse-${runId}`, maxWaitTimeInMs: 20 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'longhaul.jobs.state', fromBeginning: false });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const c = (await stackCodec.decode(message)) as JobStateChanged;
      if (c.eventType === 'JobStateChanged') changedAt.set(`${c.jobId}/${c.version}`, c.time);
    },
  });
  while (!joined) await delay(100);
  await delay(2_000);
  const arrivals: { key: string; at: number }[] = [];
  const headers = { authorization: `Bearer ${env.apiKey}`, 'content-type': 'application/json' };
  for (let i = 0; i < jobs; i++) {
    const res = await fetch(`${env.apiUrl}/v1/jobs`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'report.generate', payload: { steps: 4, stepMs: 100 } }),
    });
    const { id } = (await res.json()) as { id: string };
    const stream = await fetch(`${env.apiUrl}/v1/jobs/${id}/events`, { headers });
    const decoder = new TextDecoder();
    let buffer = '';
    let first = true;
    for await (const chunk of stream.body!) {
      const at = Date.now();
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const eventId = /^id: (\d+)$/m.exec(block)?.[1];
        // The first event is the state when the stream opened, not a change as it happened.
        if (eventId && !first) arrivals.push({ key: `${id}/${eventId}`, at });
        if (eventId) first = false;
      }
    }
  }
  await delay(1_000);
  await consumer.disconnect();
  const latencies = arrivals
    .filter((a) => changedAt.has(a.key))
    .map((a) => a.at - changedAt.get(a.key)!)
    .sort((a, b) => a - b);
  const latencyMs = {
    n: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
  };
  say(`SSE over ${jobs} jobs: event → SSE p50 ${latencyMs.p50} ms, p99 ${latencyMs.p99} ms (${latencyMs.n} events)`);
  return { jobs, latencyMs };
}

runMain('notifier', main);
