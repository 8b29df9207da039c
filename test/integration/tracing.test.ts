import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngress, type IngressUnderTest } from '../helpers/ingress';
import { ancestorsOf, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../helpers/otlp-receiver';
import { startProcessor } from '../helpers/processors';
import { startProjector } from '../helpers/projector';
import { startReceiver, type Receiver } from '../helpers/receivers';
import { startWorker, type WorkerUnderTest } from '../helpers/service-process';
import { tenants } from '../helpers/tenants';
import { waitFor } from '../helpers/wait';

const outbound = { LONGHAUL_WEBHOOK_ALLOW_HTTP: 'true', LONGHAUL_WEBHOOK_ALLOW_CIDRS: '127.0.0.2/32' };
const JOB_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const QUERY_TOKEN = 'querytoken0123456789secret';
const KIND = { server: 2, client: 3, producer: 4, consumer: 5 } as const;

describe('tracing: one trace per job across every service', () => {
  let otlp: OtlpReceiver;
  let api: IngressUnderTest;
  let hook: Receiver;
  const workers: WorkerUnderTest[] = [];

  beforeAll(async () => {
    otlp = await startOtlpReceiver();
    hook = await startReceiver();
    const otel = {
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    };
    api = await startIngress({ ...outbound, ...otel });
    workers.push(
      await startProjector(api, otel),
      await startProcessor(api, { ...otel, LONGHAUL_PROCESSOR_PROGRESS_INTERVAL_MS: '100' }),
      await startWorker('notifier', {
        prefix: api.prefix,
        database: api.database,
        name: 'notifier-tracing',
        extra: { ...outbound, ...otel, LONGHAUL_WEBHOOK_POLL_MS: '200' },
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.filter((w) => w.alive()).map((w) => w.terminate()));
    await api?.stop();
    await hook?.close();
    await otlp?.close();
  });

  it('follows a job from POST /v1/jobs to its webhook deliveries, parent by parent', async () => {
    // The client's own trace context: the job's trace continues it.
    const traceId = randomBytes(16).toString('hex');
    const clientSpanId = randomBytes(8).toString('hex');
    const res = await api.call<{ id: string }>('POST', '/v1/jobs', {
      key: tenants.acme.key,
      headers: { traceparent: `00-${traceId}-${clientSpanId}-01` },
      body: {
        type: 'report.generate',
        payload: { steps: 3, stepMs: 250 },
        webhook: { url: `${hook.url}?token=${QUERY_TOKEN}`, secret: JOB_SECRET },
      },
    });
    expect(res.status, res.text).toBe(202);
    const jobId = res.body.id;

    const succeeded = () =>
      hook.received.find((w) => (JSON.parse(w.body) as { type: string }).type === 'job.succeeded');
    await waitFor('the job.succeeded webhook', () => succeeded() !== undefined, { timeoutMs: 60_000 });
    const inTrace = () => otlp.spans.filter((s) => s.traceId === traceId);
    const deliveryOf = (event: string) =>
      inTrace().find((s) => s.name === 'deliver webhook' && s.attributes['longhaul.webhook.event'] === event);
    await waitFor('the job.succeeded delivery span', () => deliveryOf('job.succeeded') !== undefined, {
      timeoutMs: 20_000,
    });
    const spans = inTrace();
    const show = (list: readonly ReceivedSpan[]) => list.map((s) => `${s.service}: ${s.name}`).join(' ← ');

    // Every service took part, in the one trace the client started.
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['ingress', 'processor', 'projector', 'notifier']));

    // ingress: the HTTP server span is the client's child; koa names the route under it.
    const server = spans.find((s) => s.service === 'ingress' && s.kind === KIND.server);
    expect(server?.parentSpanId).toBe(clientSpanId);
    expect(spans.some((s) => s.service === 'ingress' && s.scope.includes('koa'))).toBe(true);

    // processor: the run is a child of JobRequested's producer span, itself under the request.
    const run = spans.find((s) => s.service === 'processor' && s.name === 'run report.generate');
    expect(run, show(spans)).toBeDefined();
    expect(run!.kind).toBe(KIND.consumer);
    expect(run!.attributes['longhaul.job.id']).toBe(jobId);
    expect(run!.attributes['longhaul.job.outcome']).toBe('succeeded');
    const runChain = ancestorsOf(run!, spans);
    expect(runChain[0]).toMatchObject({ service: 'ingress', kind: KIND.producer });
    expect(runChain, show(runChain)).toContainEqual(server);
    expect(run!.events.filter((e) => e.name === 'progress').length).toBeGreaterThan(0);
    // The run's store calls are traced under it (mongodb instrumented, so loaded after the SDK).
    expect(
      spans.some((s) => s.service === 'processor' && s.scope.includes('mongodb') && s.parentSpanId === run!.spanId),
    ).toBe(true);

    // projector → notifier: the delivery attempt descends from the projector's span for the
    // change, which descends from the run; the HTTP client span is the attempt's child.
    const delivery = deliveryOf('job.succeeded')!;
    const chain = ancestorsOf(delivery, spans);
    const names = chain.map((s) => `${s.service}: ${s.name}`);
    expect(names, show(chain)).toContain('projector: apply JobSucceeded');
    expect(chain, show(chain)).toContainEqual(run);
    expect(chain, show(chain)).toContainEqual(server);
    const client = spans.find(
      (s) => s.service === 'notifier' && s.kind === KIND.client && s.parentSpanId === delivery.spanId,
    );
    expect(client, show(spans)).toBeDefined();
    expect(delivery.attributes['longhaul.webhook.outcome']).toBe('delivered');
    // The receiver can continue the trace too.
    expect(String(succeeded()!.headers['traceparent'])).toContain(traceId);

    // The projector's write for the batch links the events it applied.
    const writes = otlp.spans.filter((s) => s.service === 'projector' && s.name === 'project events');
    expect(writes.some((w) => w.links.some((l) => l.traceId === traceId))).toBe(true);

    // Nothing secret was exported: not the key, the webhook secret or the URL's token.
    const exported = otlp.bodies.join('\n');
    for (const secret of [tenants.acme.key, JOB_SECRET, QUERY_TOKEN]) expect(exported).not.toContain(secret);

    // The processor's lines about the job carry its id and this trace id.
    const lines = workers[1]!
      .output()
      .split('\n')
      .filter((l) => l.includes(jobId))
      .map((l) => JSON.parse(l) as { jobId?: string; trace_id?: string; msg: string });
    expect(lines.map((l) => l.msg)).toContain('run ended');
    for (const line of lines) expect(line).toMatchObject({ jobId, trace_id: traceId });
  }, 120_000);
});
