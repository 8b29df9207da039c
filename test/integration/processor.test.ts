import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventCodec, createSchemaRegistry, goldenEvents } from '@longhaul/contracts';
import { topicNames } from '@longhaul/kafka';
import { startIngress, type IngressUnderTest } from '../helpers/ingress';
import {
  followEvents,
  submitJob,
  isTerminal,
  ofType,
  startProcessor,
  type EventLog,
  type ProcessorUnderTest,
} from '../helpers/processors';
import { repoRoot } from '../helpers/service-process';
import { testStack } from '../helpers/stack';
import { adminKey, tenants } from '../helpers/tenants';
import { waitFor } from '../helpers/wait';

const acme = tenants.acme.key;

// The processor against the real stack: two processes of one group, jobs submitted through the
// real ingress, lifecycle events read back from the events and dead-letter topics.
describe('the processor', () => {
  let api: IngressUnderTest;
  let events: EventLog;
  const processors: ProcessorUnderTest[] = [];

  // A team's own job type, loaded from configuration by both ingress and the processors.
  const ownTypes = { LONGHAUL_JOB_TYPES_MODULES: join(repoRoot, 'docs/examples/job-types/invoice-export.cjs') };

  beforeAll(async () => {
    api = await startIngress(ownTypes);
    processors.push(...(await Promise.all([startProcessor(api, ownTypes), startProcessor(api, ownTypes)])));
    events = await followEvents(api.prefix);
  }, 120_000);

  afterAll(async () => {
    await events?.stop();
    await Promise.all(processors.filter((p) => p.alive()).map((p) => p.terminate()));
    await api?.stop();
  });

  it('runs a job once: started, then succeeded with its result', async () => {
    const id = await submitJob(api, 'sleep', { ms: 50 });
    const seen = await events.waitFor(id, 'succeeded', (es) => es.some(isTerminal));
    expect(seen.map((e) => e.eventType)).toEqual(['JobStarted', 'JobSucceeded']);
    const [started, done] = seen;
    expect(started).toMatchObject({ attempt: 1, epoch: 1, sequence: 1, tenant: 'acme', jobType: 'sleep' });
    expect(done).toMatchObject({ attempt: 1, epoch: 1, sequence: 2 });
    expect(JSON.parse(ofType(seen, 'JobSucceeded')[0]!.result)).toEqual({ sleptMs: 50 });
  });

  it("runs a team's own job type, declared and handled by a module named in configuration", async () => {
    const bad = await api.call('POST', '/v1/jobs', {
      key: acme,
      body: { type: 'invoice.export', payload: { period: 'October', invoices: 10 } },
    });
    expect(bad.status).toBe(422);
    const id = await submitJob(api, 'invoice.export', { period: '2026-10', invoices: 250, batchSize: 100 });
    const seen = await events.waitFor(id, 'succeeded', (es) => es.some(isTerminal));
    expect(ofType(seen, 'JobCheckpointed')).toHaveLength(3);
    expect(JSON.parse(ofType(seen, 'JobSucceeded')[0]!.result)).toEqual({
      period: '2026-10',
      exported: 250,
      batches: 3,
    });
  });

  it('retries a flaky job with backoff until it succeeds on attempt 3', async () => {
    const id = await submitJob(api, 'flaky', { failTimes: 2, ms: 10 });
    const seen = await events.waitFor(id, 'succeeded', (es) => es.some(isTerminal));
    const failures = ofType(seen, 'JobAttemptFailed');
    expect(failures.map((f) => f.attempt)).toEqual([1, 2]);
    const starts = ofType(seen, 'JobStarted');
    expect(starts.map((s) => s.attempt)).toEqual([1, 2, 3]);
    // Each retry started no earlier than the time its failure announced, and epochs grow.
    for (const [i, failure] of failures.entries()) {
      expect(failure.error.retriable).toBe(true);
      expect(failure.nextAttemptAt).toBeGreaterThan(failure.time - 1);
      expect(starts[i + 1]!.time).toBeGreaterThanOrEqual(failure.nextAttemptAt);
    }
    expect(starts.map((s) => s.epoch)).toEqual([1, 2, 3]);
    const done = ofType(seen, 'JobSucceeded');
    expect(done).toHaveLength(1);
    expect(JSON.parse(done[0]!.result)).toEqual({ succeededOnAttempt: 3 });
  });

  it('fails a job for good after its last attempt and dead-letters it with every error', async () => {
    const id = await submitJob(api, 'fail', { message: 'upstream said no' }, { maxAttempts: 2 });
    // The dead letter and the JobDeadLettered event travel on different topics: wait for both.
    const seen = await events.waitFor(id, 'dead-lettered', (es) =>
      ['DeadLetter', 'JobDeadLettered'].every((type) => es.some((e) => e.eventType === type)),
    );
    expect(ofType(seen, 'JobStarted')).toHaveLength(2);
    expect(ofType(seen, 'JobFailed')).toHaveLength(1);
    expect(ofType(seen, 'JobFailed')[0]!.error).toMatchObject({ detail: 'upstream said no' });
    expect(ofType(seen, 'JobDeadLettered')[0]!.deadLetterTopic).toBe(topicNames(api.prefix).deadLetters);
    const letter = ofType(seen, 'DeadLetter')[0]!;
    expect(letter.errors.map((e) => e.attempt)).toEqual([1, 2]);
    expect(letter.request?.payload).toBe(JSON.stringify({ message: 'upstream said no' }));
    expect(letter.reason).toMatch(/no attempts left/);
    expect(seen.filter(isTerminal)).toHaveLength(1);
  });

  it('redrives a dead-lettered job as a new job, once; the old one stays failed and names it', async () => {
    const old = await submitJob(api, 'fail', { message: 'try me again' }, { maxAttempts: 1 });
    await events.waitFor(old, 'dead-lettered', (es) => es.some((e) => e.eventType === 'DeadLetter'));
    const letter = await waitFor('the stored dead letter', async () => {
      const r = await api.call<{ redrivable: boolean }>('GET', `/v1/admin/dead-letters/${old}`, { key: adminKey });
      return r.status === 200 ? r.body : undefined;
    });
    expect(letter).toMatchObject({ jobId: old, tenant: 'acme', type: 'fail', redrivable: true, redrivenAs: null });
    // Tenants cannot use admin routes, admins cannot use tenant routes.
    expect((await api.call('POST', `/v1/admin/dead-letters/${old}/redrive`, { key: acme })).status).toBe(403);

    const first = await api.call<{ outcome: string; newJobId: string }>(
      'POST',
      `/v1/admin/dead-letters/${old}/redrive`,
      {
        key: adminKey,
      },
    );
    expect(first.status, first.text).toBe(202);
    expect(first.body.outcome).toBe('redriven');
    const fresh = first.body.newJobId;
    expect(fresh).not.toBe(old);
    const again = await api.call<{ outcome: string; newJobId: string }>(
      'POST',
      `/v1/admin/dead-letters/${old}/redrive`,
      {
        key: adminKey,
      },
    );
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ outcome: 'already-redriven', newJobId: fresh });

    const rerun = await events.waitFor(fresh, 'the redriven job ran', (es) => es.some(isTerminal));
    expect(ofType(rerun, 'JobStarted')).toHaveLength(1);
    const view = await api.call<{ redriveOf: string | null; type: string }>('GET', `/v1/jobs/${fresh}`, { key: acme });
    expect(view.body).toMatchObject({ redriveOf: old, type: 'fail' });
    const after = await api.call<{ redrivable: boolean; redrivenAs: string }>('GET', `/v1/admin/dead-letters/${old}`, {
      key: adminKey,
    });
    expect(after.body).toMatchObject({ redrivable: false, redrivenAs: fresh });
    // The old job never ran again: its only terminal event is the original failure.
    expect(
      events
        .of(old)
        .filter(isTerminal)
        .map((e) => e.eventType),
    ).toEqual(['JobFailed']);

    const batch = await api.call<{ results: { jobId: string; outcome: string }[] }>(
      'POST',
      '/v1/admin/dead-letters/redrive',
      {
        key: adminKey,
        body: { jobIds: [old, '01J00000000000000000000000'] },
      },
    );
    expect(batch.status).toBe(200);
    expect(batch.body.results.map((r) => r.outcome)).toEqual(['already-redriven', 'not-found']);
    const bad = await api.call('POST', '/v1/admin/dead-letters/redrive', { key: adminKey, body: { jobIds: 'all' } });
    expect(bad.status).toBe(422);
    const listed = await api.call<{ items: { jobId: string }[] }>(
      'GET',
      '/v1/admin/dead-letters?tenant=acme&limit=200',
      {
        key: adminKey,
      },
    );
    expect(listed.body.items.map((l) => l.jobId)).toContain(old);
    expect(api.violations).toEqual([]);
  });

  it('times out an attempt: a timed-out attempt is a failed attempt', async () => {
    const id = await submitJob(api, 'sleep', { ms: 60_000 }, { timeoutMs: 1_000, maxAttempts: 1 });
    const seen = await events.waitFor(id, 'failed', (es) => es.some(isTerminal), 20_000);
    const failed = ofType(seen, 'JobFailed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toMatchObject({ type: 'urn:longhaul:error:timeout', retriable: true });
    expect(failed[0]!.time - ofType(seen, 'JobStarted')[0]!.time).toBeLessThan(5_000);
  });

  it('cancels a running job within 2 s of the request, and one waiting for its retry never starts again', async () => {
    const running = await submitJob(api, 'sleep', { ms: 120_000 });
    await events.waitFor(running, 'started', (es) => es.some((e) => e.eventType === 'JobStarted'));
    const asked = Date.now();
    const res = await api.call('POST', `/v1/jobs/${running}/cancel`, { key: acme });
    expect(res.status).toBe(202);
    const seen = await events.waitFor(running, 'cancelled', (es) => es.some(isTerminal), 10_000);
    const cancelled = ofType(seen, 'JobCancelled');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]!.time - asked).toBeLessThan(2_000);

    // A job that is waiting for its retry is queued work: cancelled at once, never started again
    // (its retry may have begun just before the cancel came, which is then a running cancel).
    const waiting = await submitJob(api, 'flaky', { failTimes: 5 }, { maxAttempts: 6 });
    await events.waitFor(waiting, 'first failure', (es) => es.some((e) => e.eventType === 'JobAttemptFailed'));
    await api.call('POST', `/v1/jobs/${waiting}/cancel`, { key: acme });
    const after = await events.waitFor(waiting, 'cancelled', (es) => es.some(isTerminal), 10_000);
    const [cancel] = ofType(after, 'JobCancelled');
    expect(after.filter(isTerminal)).toEqual([cancel]);
    await new Promise((r) => setTimeout(r, 3_000));
    const starts = ofType(events.of(waiting), 'JobStarted');
    expect(starts.length).toBeLessThan(6);
    for (const start of starts) expect(start.time).toBeLessThanOrEqual(cancel!.time);
    expect(events.of(waiting).filter(isTerminal)).toHaveLength(1);
  });

  it('pauses a job type: its requests wait, other types go on, a queued one cancelled never starts, it resumes within seconds', async () => {
    const pause = await api.call<{ paused: boolean }>('POST', '/v1/admin/job-types/sleep/pause', {
      key: adminKey,
      body: { reason: 'incident drill' },
    });
    expect(pause.status, pause.text).toBe(200);
    expect(pause.body.paused).toBe(true);
    // Processors read the switch every 2 s; give them that before relying on it.
    await new Promise((r) => setTimeout(r, 2_500));
    const held = await Promise.all([1, 2, 3, 4].map(() => submitJob(api, 'sleep', { ms: 1 })));
    const others = await Promise.all([1, 2, 3, 4].map(() => submitJob(api, 'flaky', { failTimes: 0 })));
    for (const id of others) await events.waitFor(id, 'another type ran', (es) => es.some(isTerminal));
    await new Promise((r) => setTimeout(r, 1_000));
    for (const id of held) expect(events.of(id), id).toEqual([]);
    const listed = await api.call<{ items: { type: string; paused: boolean; reason: string | null }[] }>(
      'GET',
      '/v1/admin/job-types',
      { key: adminKey },
    );
    expect(listed.body.items.find((t) => t.type === 'sleep')).toMatchObject({ paused: true, reason: 'incident drill' });

    // A queued job (parked while its type is paused) cancelled now never starts.
    const [queued, ...rest] = held;
    expect((await api.call('POST', `/v1/jobs/${queued}/cancel`, { key: acme })).status).toBe(202);
    const cancelled = await events.waitFor(queued!, 'cancelled while queued', (es) => es.some(isTerminal), 10_000);
    expect(cancelled.map((e) => e.eventType)).toEqual(['JobCancelled']);

    const resumedAt = Date.now();
    expect((await api.call('POST', '/v1/admin/job-types/sleep/resume', { key: adminKey })).status).toBe(200);
    for (const id of rest) {
      const seen = await events.waitFor(id, 'ran after resume', (es) => es.some(isTerminal), 15_000);
      expect(ofType(seen, 'JobStarted')).toHaveLength(1);
      expect(ofType(seen, 'JobStarted')[0]!.time).toBeGreaterThanOrEqual(resumedAt);
    }
    await new Promise((r) => setTimeout(r, 1_000));
    expect(events.of(queued!).map((e) => e.eventType)).toEqual(['JobCancelled']);
    expect((await api.call('POST', '/v1/admin/job-types/no.such/pause', { key: adminKey })).status).toBe(404);
    expect(api.violations).toEqual([]);
  });

  it('dead-letters a poison message and moves on: the partition is not stopped', async () => {
    const names = topicNames(api.prefix);
    const kafka = new Kafka({ clientId: 'it-poison', brokers: testStack().kafkaBrokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    // Both partitions get garbage, so whichever partition the next job lands on had poison first.
    await producer.send({
      topic: names.requested,
      messages: [
        { key: 'garbage-1', value: Buffer.from('not avro at all'), partition: 0 },
        { key: 'garbage-2', value: Buffer.from([0, 0, 0, 0, 1, 2, 3]), partition: 1 },
      ],
    });
    await producer.disconnect();
    const id = await submitJob(api, 'sleep', { ms: 1 });
    await events.waitFor(id, 'succeeded', (es) => es.some(isTerminal));
    const letters = await waitFor('two poison dead letters', () => {
      const found = ofType(events.all(), 'DeadLetter').filter((l) => l.source !== null);
      return found.length >= 2 ? found : undefined;
    });
    expect(letters.map((l) => l.jobId).sort()).toEqual(['garbage-1', 'garbage-2']);
    expect(letters[0]!.source?.topic).toBe(names.requested);
    expect(letters.find((l) => l.jobId === 'garbage-1')!.source!.value!.toString()).toBe('not avro at all');

    // A request that decodes but cannot run (a type no processor knows): its job is failed for
    // good with the reason, so its client is not left waiting.
    const codec = createEventCodec(createSchemaRegistry({ url: testStack().schemaRegistryUrl }), api.prefix);
    const jobId = '01JZZZZZZZZZZZZZZZZZZZZZZZ';
    const bogus = await codec.encode({ ...goldenEvents.JobRequested, jobId, jobType: 'no.such.type', tenant: 'acme' });
    const sender = kafka.producer();
    await sender.connect();
    await sender.send({
      topic: names.requested,
      messages: [{ key: bogus.key, value: bogus.value, headers: bogus.headers }],
    });
    await sender.disconnect();
    const failed = await events.waitFor(jobId, 'failed for good', (es) => es.some((e) => e.eventType === 'DeadLetter'));
    expect(failed.map((e) => e.eventType).sort()).toEqual(['DeadLetter', 'JobDeadLettered', 'JobFailed']);
    expect(ofType(failed, 'JobFailed')[0]!.error).toMatchObject({
      type: 'urn:longhaul:error:invalid-request',
      retriable: false,
    });
    expect(ofType(failed, 'JobFailed')[0]!.error.detail).toContain('unknown job type');
  });
});

describe('the processor at a concurrency of 2', () => {
  let api: IngressUnderTest;
  let events: EventLog;
  let processor: ProcessorUnderTest;

  beforeAll(async () => {
    api = await startIngress();
    processor = await startProcessor(api, { LONGHAUL_PROCESSOR_CONCURRENCY: '2' });
    events = await followEvents(api.prefix);
  }, 120_000);

  afterAll(async () => {
    await events?.stop();
    if (processor?.alive()) await processor.terminate();
    await api?.stop();
  });

  it('never runs more than 2 handlers at once, and runs the rest as slots free up', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await submitJob(api, 'sleep', { ms: 500 }));
    const runs = await Promise.all(
      ids.map(async (id) => {
        const seen = await events.waitFor(id, 'succeeded', (es) => es.some(isTerminal));
        // JobStarted is stamped as the handler is called, JobSucceeded as it returns.
        return { start: ofType(seen, 'JobStarted')[0]!.time, end: ofType(seen, 'JobSucceeded')[0]!.time };
      }),
    );
    const running = (at: number) => runs.filter((r) => r.start <= at && at < r.end).length;
    expect(Math.max(...runs.map((r) => running(r.start)))).toBeLessThanOrEqual(2);
    // Two at a time: six half-second jobs take at least three rounds.
    const span = Math.max(...runs.map((r) => r.end)) - Math.min(...runs.map((r) => r.start));
    expect(span).toBeGreaterThanOrEqual(3 * 500);
  }, 60_000);
});
