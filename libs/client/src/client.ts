import { AdminApi } from './admin';
import { createTransport, type TransportOptions } from './http';
import { JobsApi } from './jobs';
import { WebhooksApi } from './webhooks';

export interface ClientOptions extends TransportOptions {
  /** The key for /v1/admin/ calls (admin keys are valid only there); `apiKey` otherwise. */
  readonly adminKey?: string;
}

/**
 * The Longhaul API:
 *
 *   const longhaul = new LonghaulClient({ baseUrl, apiKey });
 *   const job = await longhaul.jobs.run({ type: 'report.generate', payload: { steps: 5, stepMs: 1000 } });
 */
export class LonghaulClient {
  readonly jobs: JobsApi;
  readonly webhooks: WebhooksApi;
  readonly admin: AdminApi;

  constructor(opts: ClientOptions) {
    const transport = createTransport(opts);
    this.jobs = new JobsApi(transport);
    this.webhooks = new WebhooksApi(transport);
    this.admin = new AdminApi(transport, opts.adminKey);
  }
}
