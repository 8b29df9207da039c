/**
 * bench:ceiling — what the Kafka under the stack can do, the figure every Longhaul rate is a
 * fraction of: Kafka's own ProducerPerformance and ConsumerPerformance (kafka-tools of the
 * broker's version, on the same Java), then kafkajs alone, with Longhaul's message size and
 * acks=all (idempotent producer). Median of LONGHAUL_BENCH_REPEATS runs each.
 */
import { spawn } from 'node:child_process';
import { kafkaToolCommand } from '@longhaul/local-stack';
import { durableProducer } from '@longhaul/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { benchEnv, median, numberSetting, runMain, writeResults } from './results';

const env = benchEnv();
const cacheDir = process.env['LONGHAUL_BENCH_CACHE_DIR'] ?? `${process.env['HOME']}/.cache/longhaul`;
const records = numberSetting('LONGHAUL_BENCH_CEILING_RECORDS', 200_000);
/** The size of an encoded JobRequested of bench:ingress (see its results: messageBytes). */
const recordBytes = 128;
const partitions = 12;
const brokers = env.kafkaBrokers.join(',');

function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${args.at(-1)} exited ${code}:\n${out}`)),
    );
  });
}

async function createTopic(kafka: Kafka, topic: string) {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  await admin.disconnect();
}

/** "200000 records sent, 123456.7 records/sec (…), 12.3 ms avg latency, …, 5 ms 50th, … 40 ms 99th, …" */
async function kafkaProducer(topic: string) {
  const tool = await kafkaToolCommand(cacheDir, 'org.apache.kafka.tools.ProducerPerformance');
  const out = await run(tool.command, [
    ...tool.args,
    '--topic',
    topic,
    '--num-records',
    String(records),
    '--record-size',
    String(recordBytes),
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=${brokers}`,
    'acks=all',
    'enable.idempotence=true',
  ]);
  const last =
    out
      .trim()
      .split('\n')
      .filter((l) => l.includes('records sent'))
      .at(-1) ?? '';
  const m = /([\d.]+) records\/sec.*?([\d.]+) ms avg latency.*?(\d+) ms 50th.*?(\d+) ms 99th/.exec(last);
  if (!m) throw new Error(`unexpected ProducerPerformance output:\n${out}`);
  return { perSecond: Number(m[1]), avgLatencyMs: Number(m[2]), p50Ms: Number(m[3]), p99Ms: Number(m[4]) };
}

/** The CSV line after the header: …, data.consumed.in.nMsg, nMsg.sec, … */
async function kafkaConsumer(topic: string) {
  const tool = await kafkaToolCommand(cacheDir, 'org.apache.kafka.tools.ConsumerPerformance');
  const out = await run(tool.command, [
    ...tool.args,
    '--bootstrap-server',
    brokers,
    '--topic',
    topic,
    '--messages',
    String(records),
    '--group',
    `${topic}-perf-${Date.now()}`,
  ]);
  const lines = out.trim().split('\n');
  const header = lines.findIndex((l) => l.includes('nMsg.sec'));
  const names = lines[header]?.split(',').map((s) => s.trim()) ?? [];
  const values = lines[header + 1]?.split(',').map((s) => s.trim()) ?? [];
  const perSecond = Number(values[names.indexOf('nMsg.sec')]);
  if (!Number.isFinite(perSecond)) throw new Error(`unexpected ConsumerPerformance output:\n${out}`);
  return { perSecond };
}

/** kafkajs alone: batches of 500 with acks=all through one idempotent producer, 4 in flight. */
async function kafkajsProducer(kafka: Kafka, topic: string) {
  const producer = kafka.producer(durableProducer);
  await producer.connect();
  const value = Buffer.alloc(recordBytes, 120);
  const started = performance.now();
  let sent = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < records) {
        const n = Math.min(500, records - next);
        next += n;
        await producer.send({
          topic,
          acks: -1,
          messages: Array.from({ length: n }, (_, i) => ({ key: String(next + i), value })),
        });
        sent += n;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await producer.disconnect();
  return { perSecond: Math.round(sent / seconds) };
}

async function kafkajsConsumer(kafka: Kafka, topic: string) {
  const consumer = kafka.consumer({ groupId: `${topic}-kafkajs-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let first = 0;
  const done = new Promise<number>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        if (first === 0) first = performance.now();
        seen += batch.messages.length;
        if (seen >= records) resolve(performance.now());
        await Promise.resolve();
      },
    });
  });
  const last = await done;
  await consumer.disconnect();
  return { perSecond: Math.round(seen / ((last - first) / 1000)) };
}

async function main() {
  const kafka = new Kafka({ clientId: 'bench-ceiling', brokers: env.kafkaBrokers, logLevel: logLevel.NOTHING });
  const runs = {
    kafkaProducer: [] as number[],
    kafkaConsumer: [] as number[],
    kafkajsProducer: [] as number[],
    kafkajsConsumer: [] as number[],
  };
  let latency = { p50Ms: NaN, p99Ms: NaN };
  for (let r = 0; r < env.repeats; r++) {
    const topic = `bench-ceiling-${Date.now()}-${r}`;
    await createTopic(kafka, topic);
    const p = await kafkaProducer(topic);
    runs.kafkaProducer.push(p.perSecond);
    latency = { p50Ms: p.p50Ms, p99Ms: p.p99Ms };
    runs.kafkaConsumer.push((await kafkaConsumer(topic)).perSecond);
    const jsTopic = `${topic}-kafkajs`;
    await createTopic(kafka, jsTopic);
    runs.kafkajsProducer.push((await kafkajsProducer(kafka, jsTopic)).perSecond);
    runs.kafkajsConsumer.push((await kafkajsConsumer(kafka, jsTopic)).perSecond);
    console.log(
      `run ${r + 1}: Kafka producer ${Math.round(p.perSecond)}/s (p99 ${p.p99Ms} ms), consumer ${Math.round(runs.kafkaConsumer.at(-1)!)}/s; ` +
        `kafkajs producer ${runs.kafkajsProducer.at(-1)}/s, consumer ${runs.kafkajsConsumer.at(-1)}/s`,
    );
  }
  const summary = {
    kafkaProducerPerSecond: Math.round(median(runs.kafkaProducer)),
    kafkaConsumerPerSecond: Math.round(median(runs.kafkaConsumer)),
    kafkajsProducerPerSecond: Math.round(median(runs.kafkajsProducer)),
    kafkajsConsumerPerSecond: Math.round(median(runs.kafkajsConsumer)),
    kafkaProducerLatency: latency,
  };
  console.log(JSON.stringify(summary));
  const file = writeResults(env.resultsDir, 'ceiling', {
    settings: { records, recordBytes, partitions, acks: 'all', idempotent: true, repeats: env.repeats },
    ...summary,
    runs,
  });
  console.log(`results: ${file}`);
}

runMain('ceiling', main);
