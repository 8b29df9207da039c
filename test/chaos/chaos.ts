import { dirname, join } from 'node:path';
import { consumerGroups, readGroupLag } from '@longhaul/kafka';
import { startKafkaComponent, startMongoComponent, type Component } from '@longhaul/local-stack';
import type { DeliveryDocument } from '@longhaul/webhooks';
import { Kafka, logLevel } from 'kafkajs';
import { startIngress, type IngressUnderTest } from '../helpers/ingress';
import { followEvents, isTerminal, startProcessor, type EventLog } from '../helpers/processors';
import { startProjector } from '../helpers/projector';
import { startReceiver, type Receiver } from '../helpers/receivers';
import { startWorker } from '../helpers/service-process';
import { testStack, uniqueName } from '../helpers/stack';
import { tenants } from '../helpers/tenants';
import { waitFor } from '../helpers/wait';
import { startPoller, submitWithRetries, type AcceptedJob } from './client';
import { createFleet, kedaReplicas, type Fleet } from './fleet';
import { checkInvariants, type Tally } from './invariants';

export interface ChaosOptions {
  /** Jobs to submit (at least 1,000 for `npm run chaos`; at most 150 in `npm test`). */
  readonly jobs: number;
  /** Over how long they are submitted; the faults fall inside this window. */
  readonly windowMs: number;
  /** Faults of each kind: 1 in the short run, more in the long one. */
  readonly faultsPerKind: number;
  readonly partitions: number;
  readonly maxProcessors: number;
  readonly lagThreshold: number;
  readonly log: (line: string) => void;
}

export interface ChaosReport {
  readonly options: Omit<ChaosOptions, 'log'>;
  readonly seconds: number;
  readonly faults: Record<string, number>;
  readonly jobs: { accepted: number; byType: Record<string, number>; byStatus: Record<string, number>; gaveUp: number };
  readonly submissionRetries: number;
  readonly polls: number;
  readonly tally: Tally;
  readonly eventCopiesSuppressed: number;
  readonly processorReplicas: number[];
  readonly crashes: string[];
  /** Processes that exited non-zero on SIGTERM (scale-in), with the end of their output. */
  readonly uncleanStops: string[];
  readonly violations: string[];
}

const key = tenants.acme.key;
const TERMINAL_EVENTS = ['job.succeeded', 'job.failed', 'job.cancelled'];

/** One job of the mix: long reports (interrupted, resumed), sleeps, flaky and failing jobs. */
function jobOf(i: number): { type: string; payload: unknown; options?: Record<string, number> } {
  switch (i % 5) {
    case 0:
      return { type: 'report.generate', payload: { steps: 8, stepMs: 400 } };
    case 1:
    case 2:
      return { type: 'sleep', payload: { ms: 200 + ((i * 37) % 1_500) } };
    case 3:
      return { type: 'flaky', payload: { failTimes: 1 + (i % 2), ms: 100 } };
    default:
      return { type: 'fail', payload: { message: 'planned failure' }, options: { maxAttempts: 2 } };
  }
}

/**
 * A chaos run against its own Kafka and database (so both can be restarted) and its own
 * services: jobs are submitted and polled like a careful client would, faults are injected at
 * random moments, processors follow KEDA's replica formula, and at the end every invariant of
 * DESIGN.md is checked from outside.
 */
export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const { log: _log, ...options } = o;
  const started = Date.now();
  const stack = testStack();
  const dir = join(stack.dataDir, uniqueName('chaos'));
  const cleanup: (() => Promise<unknown>)[] = [];
  const faults: Record<string, number> = {};
  const count = (kind: string) => (faults[kind] = (faults[kind] ?? 0) + 1);
  try {
    const kafka = await startKafkaComponent(join(dir, 'kafka'), stack.cacheDir);
    cleanup.push(() => kafka.stop());
    const mongo = await startMongoComponent(join(dir, 'mongo'), stack.cacheDir, dirname(stack.dataDir));
    cleanup.push(() => mongo.stop());
    const env = {
      LONGHAUL_KAFKA_BROKERS: kafka.endpoint,
      LONGHAUL_MONGO_URL: mongo.endpoint,
      LONGHAUL_REQUESTED_PARTITIONS: String(o.partitions),
      LONGHAUL_EVENTS_PARTITIONS: String(o.partitions),
      LONGHAUL_WEBHOOK_ALLOW_HTTP: 'true',
      LONGHAUL_WEBHOOK_ALLOW_CIDRS: '127.0.0.2/32',
      LONGHAUL_LOG_LEVEL: 'warn',
    };
    const api = await startIngress(env);
    cleanup.push(() => api.stop());
    const outage = { from: 0, to: 0 };
    const fleet = createFleet({
      start: (role) => startRole(role, api, env),
      restartDelayMs: 1_000,
      log: o.log,
      infrastructureDisturbed: () => outage.from > outage.to || Date.now() - outage.to < 20_000,
    });
    cleanup.push(() => fleet.stop());
    await Promise.all([fleet.add('projector'), fleet.add('notifier'), fleet.add('processor')]);

    const good = await startReceiver();
    const flaky = await startReceiver();
    cleanup.push(
      () => good.close(),
      () => flaky.close(),
    );
    const sub = await api.call<{ id: string }>('POST', '/v1/webhooks', {
      key,
      body: { url: good.url, events: TERMINAL_EVENTS },
    });
    if (sub.status !== 201) throw new Error(`subscribing answered ${sub.status}: ${sub.text}`);

    const events = await followEvents(api.prefix, ['events'], [kafka.endpoint]);
    cleanup.push(() => events.stop());
    const poller = startPoller(api, key, { intervalMs: 500 });
    const replicas: number[] = [];
    const scaler = startAutoscaler(fleet, kafka, api.prefix, o, replicas, count);
    cleanup.push(() => scaler.stop());

    // Submit in bursts (lag builds, KEDA scales out; quiet spells let it scale in).
    const accepted: AcceptedJob[] = [];
    let gaveUp = 0;
    let submissionRetries = 0;
    const submitting = (async () => {
      const bursts = 6;
      for (let b = 0; b < bursts; b++) {
        const from = Math.floor((b * o.jobs) / bursts);
        const to = Math.floor(((b + 1) * o.jobs) / bursts);
        await Promise.all(
          Array.from({ length: to - from }, async (_, k) => {
            const i = from + k;
            const job = jobOf(i);
            const receiver = i % 2 === 0 ? good : flaky;
            const body = { ...job, webhook: { url: receiver.url, events: TERMINAL_EVENTS } };
            const res = await submitWithRetries(api, key, body, 90_000);
            submissionRetries += res.retries;
            if (!res.id) return void gaveUp++;
            accepted.push({ id: res.id, type: job.type, receiver: receiver.url, acceptedAt: Date.now() });
            poller.watch(res.id);
          }),
        );
        await new Promise((r) => setTimeout(r, o.windowMs / bursts));
      }
    })();

    const reportOwner = (only?: string) => {
      for (const job of accepted) {
        if (job.type !== 'report.generate' || (only !== undefined && job.id !== only)) continue;
        const es = events.of(job.id);
        if (es.some(isTerminal)) continue;
        const start = es.filter((e) => e.eventType === 'JobStarted').at(-1);
        const checkpointed = start && es.slice(es.indexOf(start)).some((e) => e.eventType === 'JobCheckpointed');
        if (start && checkpointed) return start.worker;
      }
      return undefined;
    };
    const startReport = async () => {
      const job = { type: 'report.generate', payload: { steps: 10, stepMs: 400 } };
      const res = await submitWithRetries(
        api,
        key,
        { ...job, webhook: { url: good.url, events: TERMINAL_EVENTS } },
        30_000,
      );
      if (!res.id) return undefined;
      accepted.push({ id: res.id, type: job.type, receiver: good.url, acceptedAt: Date.now() });
      poller.watch(res.id);
      return res.id;
    };
    await injectFaults({ o, fleet, kafka, mongo, flaky, count, outage, reportOwner, startReport });
    await submitting;
    o.log(`submitted: ${accepted.length} accepted, ${gaveUp} given up; waiting for every job to finish`);
    await waitFor('every accepted job to reach a terminal state', () => poller.pending() === 0, {
      timeoutMs: 240_000,
      intervalMs: 1_000,
    });
    await poller.stop();
    flaky.answer(() => ({ status: 204 }));
    // The last webhooks (and retries of ones that failed while the receiver was down).
    const finalView = new Map<string, { status: string; result: unknown }>();
    for (const job of accepted) {
      const res = await api.call<{ status: string; result: unknown }>('GET', `/v1/jobs/${job.id}`, { key });
      finalView.set(job.id, res.body);
    }
    // Quiet first: the projector has announced every change and the notifier has stored every
    // delivery of them (each commits an offset only then). A notifier restarted near the end may
    // still be reading; judged before that, its deliveries would look lost.
    await waitForCaughtUp(kafka, api.prefix, o.log);
    const deliveries = api.db.collection<DeliveryDocument>('webhook_deliveries');
    await waitFor(
      'no webhook delivery left pending',
      async () => (await deliveries.countDocuments({ state: 'pending' })) === 0,
      { timeoutMs: 120_000, intervalMs: 1_000 },
    ).catch((err: unknown) => o.log(String(err)));
    await waitFor('every terminal event to be read', () => accepted.every((j) => events.of(j.id).some(isTerminal)), {
      timeoutMs: 30_000,
    }).catch((err: unknown) => o.log(String(err)));
    const records = await deliveries
      .find({}, { projection: { jobId: 1, url: 1, eventType: 1, state: 1, attempts: 1, log: 1 } })
      .toArray();

    const { violations, tally } = checkInvariants({
      jobs: accepted,
      eventsOf: (id) => events.of(id),
      finalView,
      received: new Map([
        [good.url, good.received],
        [flaky.url, flaky.received],
      ]),
      subscriptionReceiver: good.url,
      deliveries: records,
    });
    violations.push(...poller.problems);
    // KEDA stops here: a scale-in during the check would be taken for a process down for good.
    await scaler.stop();
    violations.push(...(await notReady(fleet, api)));

    return {
      options,
      seconds: Math.round((Date.now() - started) / 1000),
      faults,
      jobs: {
        accepted: accepted.length,
        byType: countBy(accepted.map((j) => j.type)),
        byStatus: countBy([...finalView.values()].map((v) => v.status)),
        gaveUp,
      },
      submissionRetries,
      polls: poller.polls(),
      tally,
      eventCopiesSuppressed: accepted.reduce((n, j) => n + events.copies(j.id) - events.of(j.id).length, 0),
      processorReplicas: replicas,
      crashes: fleet.crashes,
      uncleanStops: fleet.uncleanStops,
      violations,
    };
  } finally {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  }
}

function startRole(role: 'projector' | 'notifier' | 'processor', api: IngressUnderTest, env: NodeJS.ProcessEnv) {
  const name = uniqueName(role);
  if (role === 'projector') return startProjector(api, env, name);
  if (role === 'processor') {
    return startProcessor(api, { ...env, LONGHAUL_PROCESSOR_CONCURRENCY: '4' }, name);
  }
  return startWorker('notifier', {
    prefix: api.prefix,
    database: api.database,
    name,
    extra: {
      ...env,
      LONGHAUL_WEBHOOK_RETRY_SCHEDULE: '0, 1s, 2s, 4s, 8s, 15s',
      LONGHAUL_WEBHOOK_TIMEOUT_MS: '3000',
      LONGHAUL_WEBHOOK_POLL_MS: '500',
      LONGHAUL_NOTIFIER_SESSION_TIMEOUT_MS: '8000',
    },
  });
}

/** Every few seconds, as KEDA would: read the group's lag, and scale processors to its formula. */
function startAutoscaler(
  fleet: Fleet,
  kafka: Component,
  prefix: string,
  o: ChaosOptions,
  replicas: number[],
  count: (kind: string) => void,
) {
  const client = new Kafka({ clientId: 'chaos-keda', brokers: [kafka.endpoint], logLevel: logLevel.NOTHING });
  const admin = client.admin();
  let stopped = false;
  const loop = (async () => {
    await admin.connect().catch(() => undefined);
    while (!stopped) {
      await new Promise((r) => setTimeout(r, 3_000));
      const lag = await readGroupLag(admin, consumerGroups(prefix).processor).catch(() => undefined);
      if (!lag || stopped) continue; // Kafka down: KEDA keeps the count (its fallback)
      const total = lag.partitions.reduce((n, p) => n + p.lag, 0);
      const want = kedaReplicas({
        totalLag: total,
        lagThreshold: o.lagThreshold,
        partitions: o.partitions,
        minReplicas: 1,
        maxReplicas: o.maxProcessors,
      });
      const live = fleet.live('processor');
      replicas.push(live.length);
      if (want > live.length) {
        o.log(`lag ${total}: KEDA wants ${want} processors, ${live.length} run; scaling out`);
        count('scale-out');
        await Promise.all(
          Array.from({ length: want - live.length }, () => fleet.add('processor').catch(() => undefined)),
        );
      } else if (want < live.length) {
        o.log(`lag ${total}: KEDA wants ${want} processors, ${live.length} run; scaling in`);
        count('scale-in (SIGTERM)');
        // Scale-in is slow in KEDA (a stabilization window): one at a time.
        const victim = live.filter((m) => m.worker.alive()).at(-1);
        if (victim) await fleet.retire(victim);
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await admin.disconnect().catch(() => undefined);
    },
  };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jitter = (ms: number) => Math.round(ms * (0.5 + Math.random()));

/** The faults, each kind `faultsPerKind` times, at random moments in the submission window. */
async function injectFaults(deps: {
  o: ChaosOptions;
  fleet: Fleet;
  kafka: Component;
  mongo: Component;
  flaky: Receiver;
  count: (kind: string) => void;
  outage: { from: number; to: number };
  /** The worker running a report now (`id`'s, or any) past its first checkpoint, if there is one. */
  reportOwner: (id?: string) => string | undefined;
  /** Submit one more report (10 steps of 400 ms); its id, or undefined if it was not accepted. */
  startReport: () => Promise<string | undefined>;
}) {
  const { o, fleet, count } = deps;
  const kinds: (() => Promise<void>)[] = [
    async () => {
      // At least one processor stays alive.
      if (fleet.alive('processor').length < 2) await fleet.add('processor');
      // Kill the processor running a report mid-way, so a report is always interrupted: one
      // running now, or else one submitted for this fault.
      const owner =
        deps.reportOwner() ??
        (await deps
          .startReport()
          .then((id) =>
            id ? waitFor('the report to checkpoint', () => deps.reportOwner(id), { timeoutMs: 30_000 }) : undefined,
          )
          .catch(() => undefined));
      const alive = fleet.alive('processor');
      const victim =
        alive.find((m) => owner?.startsWith(`${m.worker.name}-`)) ?? alive[Math.floor(Math.random() * alive.length)];
      if (victim) await fleet.kill(victim, owner ? 'chaos, mid-report' : 'chaos');
      count('kill -9 processor');
    },
    async () => {
      const victim = fleet.alive('projector')[0];
      if (victim) await fleet.kill(victim, 'chaos');
      count('kill -9 projector');
    },
    async () => {
      const victim = fleet.alive('notifier')[0];
      if (victim) await fleet.kill(victim, 'chaos');
      count('kill -9 notifier');
    },
    async () => {
      o.log('restarting the Kafka broker');
      deps.outage.from = Date.now();
      await deps.kafka.stop();
      await pause(3_000);
      await deps.kafka.start();
      deps.outage.to = Date.now();
      count('restart Kafka');
    },
    async () => {
      o.log('restarting the database');
      deps.outage.from = Date.now();
      await deps.mongo.stop();
      await pause(3_000);
      await deps.mongo.start();
      deps.outage.to = Date.now();
      count('restart database');
    },
    async () => {
      o.log('webhook receiver: failing, then hanging, then recovered');
      deps.flaky.answer(() => ({ status: 503 }));
      await pause(jitter(6_000));
      deps.flaky.answer(() => ({ status: 204, delayMs: 10_000 }));
      await pause(jitter(6_000));
      deps.flaky.answer(() => ({ status: 204 }));
      count('webhook receiver fail/hang/recover');
    },
  ];
  const plan = kinds.flatMap((k) => Array.from({ length: o.faultsPerKind }, () => k));
  // Spread over the window in a random order; each fault finishes before the next starts.
  plan.sort(() => Math.random() - 0.5);
  const gap = o.windowMs / (plan.length + 1);
  for (const fault of plan) {
    await pause(jitter(gap));
    await fault().catch((err: unknown) => o.log(`fault failed: ${String(err)}`));
  }
}

/** Wait until the projector's and then the notifier's group have committed to the end of their topics. */
async function waitForCaughtUp(kafka: Component, prefix: string, log: (line: string) => void): Promise<void> {
  const admin = new Kafka({ clientId: 'chaos-check', brokers: [kafka.endpoint], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    for (const name of ['projector', 'notifier'] as const) {
      await waitFor(
        `the ${name} to catch up`,
        async () => {
          const lag = await readGroupLag(admin, consumerGroups(prefix)[name]).catch(() => undefined);
          return lag !== undefined && lag.partitions.every((p) => p.lag === 0);
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      ).catch((err: unknown) => log(String(err)));
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function notReady(fleet: Fleet, api: IngressUnderTest): Promise<string[]> {
  await waitFor('restarts to finish', () => fleet.restartsInProgress() === 0, { timeoutMs: 60_000 }).catch(
    () => undefined,
  );
  const out: string[] = [];
  const urls = [
    { name: 'ingress', url: api.url, output: () => '' },
    ...fleet.live().map((m) => ({
      name: `${m.role} ${m.worker.name}`,
      url: m.worker.opsUrl,
      output: () => `; its last output:\n${m.worker.output().slice(-3_000)}`,
    })),
  ];
  for (const { name, url, output } of urls) {
    const ok = await waitFor(`${name} ready`, async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.ok, {
      timeoutMs: 60_000,
      intervalMs: 500,
    }).catch(() => false);
    if (!ok) out.push(`${name} is not ready at the end (crashed for good?)${output()}`);
  }
  return out;
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

export type { EventLog };
