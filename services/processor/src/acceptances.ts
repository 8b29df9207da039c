import { batchedFindById, collections, type Db } from '@longhaul/mongo';

/**
 * Read-only view of ingress's acceptance records: the processor must not run a request ingress
 * answered 503 for (rejected), and reads the durable cancel flag when it starts or renews a run.
 */
export interface AcceptanceView {
  readonly rejected: boolean;
  readonly cancelRequested: boolean;
  readonly tenant: string;
  readonly type: string;
}

export interface AcceptanceReader {
  get(jobId: string): Promise<AcceptanceView | null>;
  /** Of these jobs, the ones a client asked to cancel. */
  cancelRequested(jobIds: readonly string[]): Promise<string[]>;
}

interface AcceptanceFields {
  _id: string;
  tenant: string;
  type: string;
  state: 'accepted' | 'rejected';
  cancelRequestedAt: Date | null;
}

export function createAcceptanceReader(db: Db): AcceptanceReader {
  const records = db.collection<AcceptanceFields>(collections.acceptances);
  const projection = { tenant: 1, type: 1, state: 1, cancelRequestedAt: 1 };
  const find = batchedFindById(records, projection);
  return {
    async get(jobId) {
      const a = await find(jobId);
      return (
        a && {
          rejected: a.state === 'rejected',
          cancelRequested: a.cancelRequestedAt !== null && a.cancelRequestedAt !== undefined,
          tenant: a.tenant,
          type: a.type,
        }
      );
    },
    async cancelRequested(jobIds) {
      if (jobIds.length === 0) return [];
      const found = await records
        .find({ _id: { $in: [...jobIds] }, cancelRequestedAt: { $ne: null } }, { projection: { _id: 1 } })
        .toArray();
      return found.map((a) => a._id);
    },
  };
}
