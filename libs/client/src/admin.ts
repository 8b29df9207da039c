import { seg, type Transport } from './http';
import type { DeadLetter, DeadLetterFilter, JobTypeControl, Lag, Redrive, RedriveResults } from './types';

type Opts = { signal?: AbortSignal };

/** Operator calls under /v1/admin/ (they need an admin key). */
export class AdminApi {
  constructor(
    private readonly transport: Transport,
    private readonly adminKey: string | undefined,
  ) {}

  private call<T>(method: string, path: string, opts: Parameters<Transport['call']>[2] = {}) {
    return this.transport.call<T>(method, path, { ...opts, ...(this.adminKey ? { apiKey: this.adminKey } : {}) });
  }

  /** Dead letters, newest first (the payloads stay out of this view). */
  async deadLetters(filter: DeadLetterFilter = {}, opts: Opts = {}): Promise<DeadLetter[]> {
    const before = filter.before instanceof Date ? filter.before.toISOString() : filter.before;
    const res = await this.call<{ items: DeadLetter[] }>('GET', '/v1/admin/dead-letters', {
      query: { ...filter, before },
      ...opts,
    });
    return res.body.items;
  }

  /** One dead letter, by job id (or by letter id for a message that named no job). */
  async deadLetter(id: string, opts: Opts = {}): Promise<DeadLetter> {
    return (await this.call<DeadLetter>('GET', `/v1/admin/dead-letters/${seg(id)}`, opts)).body;
  }

  /** Run a dead-lettered job again as a new job; repeating answers the same new job. */
  async redrive(jobId: string, opts: Opts = {}): Promise<Redrive> {
    return (await this.call<Redrive>('POST', `/v1/admin/dead-letters/${seg(jobId)}/redrive`, opts)).body;
  }

  /** Redrive up to 100 jobs; what happened to each. */
  async redriveMany(jobIds: readonly string[], opts: Opts = {}): Promise<RedriveResults['results']> {
    const res = await this.call<RedriveResults>('POST', '/v1/admin/dead-letters/redrive', {
      body: { jobIds },
      ...opts,
    });
    return res.body.results;
  }

  async jobTypes(opts: Opts = {}): Promise<JobTypeControl[]> {
    return (await this.call<{ items: JobTypeControl[] }>('GET', '/v1/admin/job-types', opts)).body.items;
  }

  /** Processors start none of the type's jobs (running ones go on) until it is resumed. */
  async pause(type: string, reason?: string, opts: Opts = {}): Promise<JobTypeControl> {
    const body = reason === undefined ? undefined : { reason };
    return (await this.call<JobTypeControl>('POST', `/v1/admin/job-types/${seg(type)}/pause`, { body, ...opts })).body;
  }

  async resume(type: string, opts: Opts = {}): Promise<JobTypeControl> {
    return (await this.call<JobTypeControl>('POST', `/v1/admin/job-types/${seg(type)}/resume`, opts)).body;
  }

  /** The processors' consumer-group lag on the requests topic, per partition. */
  async lag(opts: Opts = {}): Promise<Lag> {
    return (await this.call<Lag>('GET', '/v1/admin/lag', opts)).body;
  }
}
