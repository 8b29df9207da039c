/**
 * A team's own job type for Longhaul: exports every invoice of a period, in batches, to an
 * accounting system. Loaded by ingress and the processor through
 * LONGHAUL_JOB_TYPES_MODULES=docs/examples/job-types/invoice-export.cjs (see docs/job-types.md).
 *
 * Plain CommonJS, no build step. In a real deployment this module (and what it requires) is
 * added to the image, and `accounting` below is a real client.
 */

/** Stands in for the accounting system: it keeps what it was sent, by idempotency key. */
const accounting = {
  received: new Map(),
  async upload(batch, idempotencyKey, signal) {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, 20);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
    // A repeated key is a repeated request: no second effect.
    if (!accounting.received.has(idempotencyKey)) accounting.received.set(idempotencyKey, batch.length);
    return { accepted: batch.length };
  },
};

module.exports.jobTypes = [
  {
    name: 'invoice.export',
    description: 'Exports the invoices of a period to the accounting system, in batches.',
    payloadSchema: {
      type: 'object',
      properties: {
        period: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}$', description: 'The month, YYYY-MM.' },
        invoices: { type: 'integer', minimum: 1, maximum: 100000, description: 'How many invoices it has.' },
        batchSize: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
      },
      required: ['period', 'invoices'],
      additionalProperties: false,
    },
    defaultTimeoutMs: 30 * 60 * 1000,
    retry: { maxAttempts: 5, initialBackoffMs: 1000, multiplier: 2, maxBackoffMs: 60 * 1000, jitter: 1 },
    limits: { maxAttempts: 10, minTimeoutMs: 1000, maxTimeoutMs: 2 * 60 * 60 * 1000 },

    /**
     * Resumes after the last batch it checkpointed. Work after that checkpoint (the batch in
     * flight when a crash came) is repeated on resume: the upload carries `ctx.stepKey(batch)`,
     * the same in every run, so the accounting system ignores the repeat.
     */
    async handler({ period, invoices, batchSize = 100 }, ctx) {
      const batches = Math.ceil(invoices / batchSize);
      let { nextBatch = 0, exported = 0 } = ctx.lastCheckpoint ?? {};
      for (; nextBatch < batches; nextBatch++) {
        const size = Math.min(batchSize, invoices - nextBatch * batchSize);
        const batch = Array.from({ length: size }, (_, i) => `${period}-${nextBatch * batchSize + i}`);
        const { accepted } = await accounting.upload(batch, ctx.stepKey(`batch-${nextBatch}`), ctx.signal);
        exported += accepted;
        await ctx.checkpoint({ nextBatch: nextBatch + 1, exported }, `${nextBatch + 1} of ${batches} batches`);
        ctx.progress(((nextBatch + 1) / batches) * 100, 'uploading', `${exported} of ${invoices} invoices`);
      }
      return { period, exported, batches };
    },
  },
];
