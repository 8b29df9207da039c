import { collections, type Db } from '@longhaul/mongo';

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
  return {
    async get(jobId) {
      const a = await records.findOne({ _id: jobId }, { projection });
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
      // By `_id` one at a time: `$in` filters over these growing collections measured slower
      // on FerretDB (see the lease renewal in run-store.ts).
      const found = await Promise.all(
        jobIds.map((id) => records.findOne({ _id: id, cancelRequestedAt: { $ne: null } }, { projection: { _id: 1 } })),
      );
      return found.flatMap((a) => (a ? [a._id] : []));
    },
  };
}
