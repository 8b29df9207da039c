import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngress, type IngressUnderTest } from '../helpers/ingress';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver';
import { startProcessor } from '../helpers/processors';
import { startProjector } from '../helpers/projector';
import { startReceiver, type Receiver } from '../helpers/receivers';
import { startWorker, TEST_SECRETS_KEY, type WorkerUnderTest } from '../helpers/service-process';
import { adminKey, tenants } from '../helpers/tenants';
import { waitFor } from '../helpers/wait';

const outbound = { LONGHAUL_WEBHOOK_ALLOW_HTTP: 'true', LONGHAUL_WEBHOOK_ALLOW_CIDRS: '127.0.0.2/32' };
const secret = () => `whsec_${randomBytes(24).toString('base64')}`;

interface LogLine {
  service: string;
  msg: string;
  jobId?: string;
  trace_id?: string;
}

describe('logs: secrets never, job id and trace id on every line about a job', () => {
  let otlp: OtlpReceiver;
  let api: IngressUnderTest;
  let hook: Receiver;
  const workers: WorkerUnderTest[] = [];
  /** Every secret the run configures or is shown: none may be in any service's output. */
  const secrets: string[] = [...Object.values(tenants).map((t) => t.key), adminKey, TEST_SECRETS_KEY];

  beforeAll(async () => {
    otlp = await startOtlpReceiver();
    hook = await startReceiver();
    // Debug level: the most a service ever writes. Tracing on, so lines can carry trace ids.
    const env = {
      ...outbound,
      LONGHAUL_LOG_LEVEL: 'debug',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    };
    api = await startIngress(env);
    workers.push(
      await startProjector(api, env),
      await startProcessor(api, env),
      await startWorker('notifier', {
        prefix: api.prefix,
        database: api.database,
        name: 'notifier-logs',
        extra: { ...env, LONGHAUL_WEBHOOK_POLL_MS: '200' },
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.filter((w) => w.alive()).map((w) => w.terminate()));
    await api?.stop();
    await hook?.close();
    await otlp?.close();
  });

  it('never write a key or a secret, whatever the requests', async () => {
    const acme = tenants.acme.key;
    // The tenant signing secret, shown by rotation; a subscription's, shown on creation.
    const rotated = await api.call<{ secret: string }>('POST', '/v1/webhook-signing-secret/rotate', { key: acme });
    expect(rotated.status, rotated.text).toBe(200);
    secrets.push(rotated.body.secret);
    const sub = await api.call<{ secret: string }>('POST', '/v1/webhooks', { key: acme, body: { url: hook.url } });
    expect(sub.status, sub.text).toBe(201);
    secrets.push(sub.body.secret);

    // Jobs with a secret of their own: one succeeds, one fails (errors logged and delivered).
    const jobSecret = secret();
    secrets.push(jobSecret);
    const submit = async (type: string, payload: unknown) => {
      const res = await api.call<{ id: string }>('POST', '/v1/jobs', {
        key: acme,
        body: { type, payload, webhook: { url: hook.url, secret: jobSecret } },
      });
      expect(res.status, res.text).toBe(202);
      return res.body.id;
    };
    const ok = await submit('report.generate', { steps: 2, stepMs: 100 });
    const failed = await submit('fail', { message: 'boom' });

    // Bad requests: an unknown key, a key in the wrong place, a malformed secret, an admin key on
    // a tenant route and a tenant key on an admin route.
    const wrongKey = `wrong_${randomBytes(24).toString('hex')}`;
    secrets.push(wrongKey);
    expect((await api.call('GET', '/v1/jobs', { key: wrongKey })).status).toBe(401);
    expect((await api.call('GET', `/v1/jobs?api_key=${wrongKey}`)).status).toBe(401);
    const badSecret = `whsec_${randomBytes(12).toString('hex')}!!`;
    secrets.push(badSecret);
    const bad = await api.call('POST', '/v1/jobs', {
      key: acme,
      body: { type: 'sleep', payload: { ms: 1 }, webhook: { url: hook.url, secret: badSecret } },
    });
    expect(bad.status).toBe(422);
    expect((await api.call('GET', '/v1/admin/dead-letters', { key: acme })).status).toBe(403);
    expect((await api.call('GET', '/v1/jobs', { key: adminKey })).status).toBeGreaterThanOrEqual(400);

    const finalOf = (id: string) =>
      hook.received.some((w) => {
        const b = JSON.parse(w.body) as { type: string; data: { id: string } };
        return b.data.id === id && (b.type === 'job.succeeded' || b.type === 'job.failed');
      });
    await waitFor('both jobs delivered', () => finalOf(ok) && finalOf(failed), { timeoutMs: 60_000 });

    // Stop everything: shutdown lines are written too.
    await Promise.all(workers.map((w) => w.terminate()));
    await api.process.terminate();
    const outputs = [api.process, ...workers].map((p) => p.output());
    for (const output of outputs) {
      expect(output.length).toBeGreaterThan(0);
      for (const s of secrets) expect(output.includes(s), `a secret (${s.slice(0, 8)}…) was logged`).toBe(false);
    }

    // Every line that names a job carries its id as a field, and (tracing on) its trace id.
    const lines = outputs
      .flatMap((o) => o.split('\n'))
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as LogLine);
    for (const id of [ok, failed]) {
      const about = lines.filter((l) => JSON.stringify(l).includes(id));
      expect(about.map((l) => `${l.service}: ${l.msg}`)).toContain('processor: run ended');
      for (const line of about) {
        expect(line.jobId, JSON.stringify(line)).toBe(id);
        expect(line.trace_id, JSON.stringify(line)).toMatch(/^[0-9a-f]{32}$/);
      }
      // One trace per job: every line about it names the same one.
      expect(new Set(about.map((l) => l.trace_id)).size).toBe(1);
    }
  }, 120_000);
});
