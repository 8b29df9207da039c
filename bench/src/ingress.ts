/**
 * bench:ingress — accepted jobs per second and POST latency at 1, 16 and 64 concurrent clients
 * against the whole stack, and in the same run the rate at which kafkajs alone produces the
 * same messages with the same settings (idempotent producer, acks=all): the ceiling.
 */
import autocannon from 'autocannon';
import { Kafka, logLevel } from 'kafkajs';
import { createEventCodec, createSchemaRegistry, goldenEvents } from '@longhaul/contracts';
import { createPublisher, durableProducer } from '@longhaul/kafka';
import { benchEnv, median, writeResults } from './results';

const env = benchEnv();
const CONCURRENCY = [1, 16, 64] as const;
const body = JSON.stringify({ type: 'sleep', payload: { ms: 1 } });

interface HttpRun {
  acceptedPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

async function httpRun(connections: number, seconds: number): Promise<HttpRun> {
  const result = await autocannon({
    url: `${env.apiUrl}/v1/jobs`,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${env.apiKey}`, 'content-type': 'application/json' },
    body,
  });
  return {
    acceptedPerSecond: result['2xx'] / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/**
 * kafkajs alone: `concurrency` senders in a loop, each awaiting its message's acks=all, like
 * ingress requests. `grouped` sends through the same group-committing publisher ingress uses
 * (the ceiling the ratio is taken against); otherwise one `send` per message.
 */
async function kafkajsRun(
  concurrency: number,
  seconds: number,
  grouped: boolean,
  message: { topic: string; value: Buffer; headers: Record<string, string> },
) {
  const kafka = new Kafka({ clientId: 'bench-kafkajs', brokers: env.kafkaBrokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer(durableProducer);
  await producer.connect();
  const publish = createPublisher(producer, { timeoutMs: 5_000 });
  let sent = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      for (let n = 0; Date.now() < end; n++) {
        const key = `job-${i}-${n}`;
        if (grouped) await publish({ ...message, key });
        else {
          await producer.send({
            topic: message.topic,
            acks: -1,
            messages: [{ key, value: message.value, headers: message.headers }],
          });
        }
        sent++;
      }
    }),
  );
  await producer.disconnect();
  return sent / seconds;
}

async function main() {
  const registry = createSchemaRegistry({ url: env.schemaRegistryUrl });
  const codec = createEventCodec(registry, 'bench-ceiling.');
  const sample = await codec.encode({ ...goldenEvents.JobRequested, payload: '{"ms":1}', webhook: null });
  const kafka = new Kafka({ clientId: 'bench-admin', brokers: env.kafkaBrokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ceilingTopic = 'bench-ceiling.jobs.requested';
  await admin.createTopics({ topics: [{ topic: ceilingTopic, numPartitions: 12, replicationFactor: 1 }] });
  await admin.disconnect();

  process.stdout.write(`warming up (3 s)…\n`);
  await httpRun(16, 3);

  const rows = [];
  for (const c of CONCURRENCY) {
    const http: HttpRun[] = [];
    const ceiling: number[] = [];
    const perMessage: number[] = [];
    const message = { topic: ceilingTopic, value: sample.value, headers: sample.headers };
    for (let r = 0; r < env.repeats; r++) {
      http.push(await httpRun(c, env.seconds));
      ceiling.push(await kafkajsRun(c, env.seconds, true, message));
      perMessage.push(await kafkajsRun(c, env.seconds, false, message));
    }
    const row = {
      concurrency: c,
      acceptedPerSecond: Math.round(median(http.map((h) => h.acceptedPerSecond))),
      p50Ms: median(http.map((h) => h.p50Ms)),
      p99Ms: median(http.map((h) => h.p99Ms)),
      non2xx: http.reduce((s, h) => s + h.non2xx, 0),
      errors: http.reduce((s, h) => s + h.errors, 0),
      kafkajsAlonePerSecond: Math.round(median(ceiling)),
      kafkajsAlonePerMessageSendPerSecond: Math.round(median(perMessage)),
      runs: { http, kafkajsAlone: ceiling.map(Math.round), kafkajsAlonePerMessageSend: perMessage.map(Math.round) },
    };
    rows.push({ ...row, ratioToKafkajs: Number((row.acceptedPerSecond / row.kafkajsAlonePerSecond).toFixed(3)) });
    process.stdout.write(
      `${String(c).padStart(3)} clients: ${String(row.acceptedPerSecond).padStart(6)} accepted/s  p50 ${row.p50Ms} ms  p99 ${row.p99Ms} ms  ` +
        `| kafkajs alone ${row.kafkajsAlonePerSecond}/s (one send per message: ${row.kafkajsAlonePerMessageSendPerSecond}/s)  ratio ${rows.at(-1)!.ratioToKafkajs}  (non-2xx ${row.non2xx}, errors ${row.errors})\n`,
    );
  }
  const at64 = rows.find((r) => r.concurrency === 64)!;
  const targets = {
    'accepted/s at 64 clients >= 3000': at64.acceptedPerSecond >= 3000,
    'p99 at 64 clients < 50 ms': at64.p99Ms < 50,
    'ratio to kafkajs alone at 64 clients >= 0.5': at64.ratioToKafkajs >= 0.5,
  };
  for (const [name, met] of Object.entries(targets)) process.stdout.write(`${met ? 'met   ' : 'MISSED'} ${name}\n`);
  const file = writeResults(env.resultsDir, 'ingress', {
    settings: { seconds: env.seconds, repeats: env.repeats, body, messageBytes: sample.value.length },
    rows,
    targets,
  });
  process.stdout.write(`results: ${file}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:ingress failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
