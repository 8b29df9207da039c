import { terminalStatuses, type JobStatus } from '@longhaul/contracts';
import { randomUUID } from 'node:crypto';
import type { IngressUnderTest } from '../helpers/ingress';

/** A job the chaos client got a 202 for. */
export interface AcceptedJob {
  readonly id: string;
  readonly type: string;
  /** The receiver its own webhook points at. */
  readonly receiver: string;
  readonly acceptedAt: number;
}

export interface Observation {
  readonly at: number;
  readonly status: string;
  readonly attempt: number;
}

const RANK: Record<string, number> = { queued: 0, running: 1, retrying: 2 };
const isTerminalStatus = (status: string): boolean => terminalStatuses.has(status as JobStatus);

/**
 * Where a job is in its life, comparable: a terminal state is last; before it, a later attempt
 * is further, and within an attempt queued < running < retrying. A poll that sees a smaller
 * position than an earlier poll saw has seen the status go backwards.
 */
export function position(o: Pick<Observation, 'status' | 'attempt'>): [number, number] {
  if (isTerminalStatus(o.status)) return [Number.MAX_SAFE_INTEGER, 0];
  return [o.attempt, RANK[o.status] ?? -1];
}

export const before = (a: [number, number], b: [number, number]): boolean =>
  a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/**
 * Submit like a careful client: an Idempotency-Key per job, the same key on every retry of a
 * 503, a 5xx or a network error, until a 202 or `deadlineMs`.
 */
export async function submitWithRetries(
  api: Pick<IngressUnderTest, 'call'>,
  key: string,
  body: unknown,
  deadlineMs: number,
): Promise<{ id?: string; retries: number }> {
  const idempotency = randomUUID();
  const giveUpAt = Date.now() + deadlineMs;
  for (let retries = 0; ; retries++) {
    const res = await api
      .call<{ id: string }>('POST', '/v1/jobs', { key, body, headers: { 'idempotency-key': idempotency } })
      .catch(() => undefined);
    if (res?.status === 202) return { id: res.body.id, retries };
    if (res && res.status < 500 && res.status !== 409 && res.status !== 429) {
      throw new Error(`submission refused with ${res.status}: ${res.text}`);
    }
    if (Date.now() > giveUpAt) return { retries };
    const wait = Number(res?.headers.get('retry-after') ?? '1');
    await new Promise((r) => setTimeout(r, Math.min(Math.max(wait, 0.2), 2) * 1_000));
  }
}

/** Polls jobs until they are terminal, keeping what each poll saw and every backwards step. */
export function startPoller(api: Pick<IngressUnderTest, 'call'>, key: string, opts: { intervalMs: number }) {
  const seen = new Map<string, Observation[]>();
  const open = new Set<string>();
  const problems: string[] = [];
  let polls = 0;
  let stopped = false;
  const pollOne = async (id: string) => {
    const res = await api
      .call<{ status: string; attempt: number }>('GET', `/v1/jobs/${id}`, { key })
      .catch(() => undefined);
    if (!res || res.status >= 500) return; // an outage: the client tries again later
    polls++;
    if (res.status === 404) {
      problems.push(`GET /v1/jobs/${id} answered 404 after its 202`);
      return;
    }
    if (res.status !== 200) return;
    const o: Observation = { at: Date.now(), status: res.body.status, attempt: res.body.attempt };
    const list = seen.get(id) ?? [];
    const last = list.at(-1);
    if (last && before(position(o), position(last))) {
      problems.push(
        `job ${id} went back from ${last.status} (attempt ${last.attempt}) to ${o.status} (attempt ${o.attempt})`,
      );
    }
    list.push(o);
    seen.set(id, list);
    if (isTerminalStatus(o.status)) open.delete(id);
  };
  const loop = (async () => {
    while (!stopped) {
      const batch = [...open];
      for (let i = 0; i < batch.length && !stopped; i += 20) await Promise.all(batch.slice(i, i + 20).map(pollOne));
      await new Promise((r) => setTimeout(r, opts.intervalMs));
    }
  })();
  return {
    watch: (id: string) => open.add(id),
    pending: () => open.size,
    seen,
    problems,
    polls: () => polls,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
