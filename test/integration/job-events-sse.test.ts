import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngress, type IngressUnderTest } from '../helpers/ingress';
import { startProcessor, submitJob } from '../helpers/processors';
import { startProjector } from '../helpers/projector';
import type { WorkerUnderTest } from '../helpers/service-process';
import { tenants } from '../helpers/tenants';

interface SseEvent {
  id: number;
  event: string;
  data: { id: string; status: string; sequence: number; progress: { percent: number } | null; result?: unknown };
}

/** Open a job's event stream and collect its events until it ends or `stopAfter` says so. */
async function readStream(
  api: IngressUnderTest,
  id: string,
  opts: { lastEventId?: number; stopAfter?: (events: SseEvent[]) => boolean; key?: string } = {},
): Promise<{ status: number; type: string | null; events: SseEvent[]; ended: boolean; comments: number }> {
  const abort = new AbortController();
  const res = await fetch(`${api.url}/v1/jobs/${id}/events`, {
    headers: {
      authorization: `Bearer ${opts.key ?? tenants.acme.key}`,
      accept: 'text/event-stream',
      ...(opts.lastEventId === undefined ? {} : { 'last-event-id': String(opts.lastEventId) }),
    },
    signal: abort.signal,
  });
  const events: SseEvent[] = [];
  let comments = 0;
  if (res.status !== 200 || !res.body)
    return { status: res.status, type: res.headers.get('content-type'), events, ended: true, comments };
  const decoder = new TextDecoder();
  let buffer = '';
  let ended = true;
  const timeout = setTimeout(() => abort.abort(), 60_000);
  try {
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let at: number;
      while ((at = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        if (block.startsWith(':')) comments++;
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((l) => !l.startsWith(':') && l.includes(': '))
            .map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]),
        );
        if (fields['data'] !== undefined)
          events.push({
            id: Number(fields['id']),
            event: fields['event']!,
            data: JSON.parse(fields['data']) as SseEvent['data'],
          });
      }
      if (opts.stopAfter?.(events)) {
        ended = false;
        abort.abort();
        break;
      }
    }
  } catch (err) {
    if ((err as Error).name !== 'AbortError') throw err;
  } finally {
    clearTimeout(timeout);
  }
  return { status: res.status, type: res.headers.get('content-type'), events, ended, comments };
}

describe('server-sent events of a job', () => {
  let api: IngressUnderTest;
  const workers: WorkerUnderTest[] = [];

  beforeAll(async () => {
    api = await startIngress({ LONGHAUL_SSE_KEEPALIVE_MS: '300' });
    workers.push(await startProjector(api), await startProcessor(api));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.filter((w) => w.alive()).map((w) => w.terminate()));
    await api?.stop();
  });

  it('sends the current state, then every change in order, and ends after the final one', async () => {
    const id = await submitJob(api, 'report.generate', { steps: 5, stepMs: 300 });
    const { status, type, events, ended } = await readStream(api, id);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/event-stream/);
    expect(ended).toBe(true);
    expect(events[0]!.event).toBe('job.state');
    const ids = events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of events) expect(e.data.sequence).toBe(e.id);
    const percents = events.filter((e) => e.event === 'job.progress').map((e) => e.data.progress!.percent);
    expect(percents.length).toBeGreaterThanOrEqual(3);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    const last = events[events.length - 1]!;
    expect(last).toMatchObject({ event: 'job.succeeded', data: { id, status: 'succeeded' } });
    expect(last.data.result).toBeDefined();
    // The stream never ran ahead of GET: the final state is what GET shows.
    const view = await api.call<{ status: string }>('GET', `/v1/jobs/${id}`, { key: tenants.acme.key });
    expect(view.body.status).toBe('succeeded');
  }, 60_000);

  it('resumes with Last-Event-ID: the current state if newer, then the rest, with no event twice', async () => {
    const id = await submitJob(api, 'report.generate', { steps: 8, stepMs: 300 });
    const first = await readStream(api, id, { stopAfter: (es) => es.some((e) => e.event === 'job.progress') });
    expect(first.ended).toBe(false);
    const lastId = first.events[first.events.length - 1]!.id;
    await new Promise((r) => setTimeout(r, 700));
    const second = await readStream(api, id, { lastEventId: lastId });
    expect(second.ended).toBe(true);
    expect(second.events.length).toBeGreaterThan(0);
    expect(second.events.every((e) => e.id > lastId)).toBe(true);
    expect(second.events[second.events.length - 1]!.event).toBe('job.succeeded');
    // A finished job's stream: its state, at once, and the end.
    const done = await readStream(api, id);
    expect(done.events.map((e) => e.event)).toEqual(['job.state']);
    expect(done.events[0]!.data.status).toBe('succeeded');
    const caughtUp = await readStream(api, id, { lastEventId: done.events[0]!.id });
    expect(caughtUp.events).toEqual([]);
  }, 60_000);

  it('keeps an idle stream open with comments', async () => {
    // A 5 s attempt that reports nothing while it runs.
    const id = await submitJob(api, 'flaky', { failTimes: 0, ms: 5_000 });
    const started = Date.now();
    const idle = await readStream(api, id, { stopAfter: () => Date.now() - started > 1_500 });
    expect(idle.comments).toBeGreaterThanOrEqual(2);
  }, 30_000);

  it('keeps tenants apart and refuses bad input', async () => {
    const id = await submitJob(api, 'sleep', { ms: 10 });
    expect((await readStream(api, id, { key: tenants.globex.key })).status).toBe(404);
    expect((await readStream(api, id, { key: 'lh_wrong' })).status).toBe(401);
    expect((await readStream(api, id, { lastEventId: -1 })).status).toBe(400);
    expect((await readStream(api, '01ARZ3NDEKTSV4RRFFQ69G5FAV')).status).toBe(404);
  }, 30_000);
});
