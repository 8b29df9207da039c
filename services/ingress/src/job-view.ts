import { terminalStatuses, type JobDocument, type JobStatus } from '@longhaul/contracts';
import type { AcceptanceRecord } from './acceptance-store';

/** What `GET /v1/jobs/{id}` returns (see the OpenAPI document, schema `Job`). */
export interface JobView {
  id: string;
  type: string;
  status: JobStatus;
  progress: { percent: number; stage: string | null; message: string | null; updatedAt: string } | null;
  attempt: number;
  maxAttempts: number;
  nextAttemptAt: string | null;
  attempts: { attempt: number; error: { type: string; title: string; detail: string | null }; failedAt: string }[];
  checkpoint: { summary: string | null; sizeBytes: number; at: string } | null;
  result: unknown;
  error: { type: string; title: string; detail: string | null } | null;
  cancelRequested: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  webhook: { url: string; events: string[] } | null;
  /** The dead-lettered job this one redrives. */
  redriveOf: string | null;
  /** The new job an operator redrove this failed one as (this one stays failed). */
  redrivenAs: string | null;
  links: { self: string; cancel: string };
}

export const jobPath = (id: string) => `/v1/jobs/${id}`;
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function links(id: string) {
  return { self: jobPath(id), cancel: `${jobPath(id)}/cancel` };
}

function parseResult(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A job the projector has not seen yet: it is queued, as its acceptance record says. */
export function viewFromAcceptance(a: AcceptanceRecord): JobView {
  return {
    id: a._id,
    type: a.type,
    status: 'queued',
    progress: null,
    attempt: 0,
    maxAttempts: a.request.maxAttempts,
    nextAttemptAt: null,
    attempts: [],
    checkpoint: null,
    result: null,
    error: null,
    cancelRequested: a.cancelRequestedAt !== null,
    createdAt: a.createdAt.toISOString(),
    startedAt: null,
    finishedAt: null,
    webhook: a.request.webhook ? { url: a.request.webhook.url, events: a.request.webhook.events } : null,
    redriveOf: a.request.redriveOf ?? null,
    redrivenAs: null,
    links: links(a._id),
  };
}

/**
 * The projected job, with what only the acceptance record knows (the cancel flag) and what the
 * projection may not have yet (the request's fields, when its lifecycle events came first).
 */
export function viewFromDocument(
  doc: JobDocument,
  acceptance: AcceptanceRecord | null,
  redrivenAs: string | null = null,
): JobView {
  const fromAcceptance = acceptance ? viewFromAcceptance(acceptance) : null;
  return {
    id: doc._id,
    type: doc.type,
    status: doc.status,
    progress: doc.progress ? { ...doc.progress, updatedAt: doc.progress.updatedAt.toISOString() } : null,
    attempt: doc.attempt,
    maxAttempts: doc.maxAttempts ?? fromAcceptance?.maxAttempts ?? Math.max(1, doc.attempt),
    nextAttemptAt: iso(doc.nextAttemptAt),
    attempts: (doc.attempts ?? []).map((a) => ({
      attempt: a.attempt,
      error: { type: a.error.type, title: a.error.title, detail: a.error.detail },
      failedAt: a.failedAt.toISOString(),
    })),
    checkpoint: doc.checkpoint ? { ...doc.checkpoint, at: doc.checkpoint.at.toISOString() } : null,
    result: doc.status === 'succeeded' ? parseResult(doc.result) : null,
    error: doc.status === 'failed' && doc.error ? doc.error : null,
    cancelRequested: fromAcceptance?.cancelRequested ?? false,
    createdAt: doc.createdAt.toISOString(),
    startedAt: iso(doc.startedAt),
    finishedAt: iso(doc.finishedAt),
    webhook: doc.requested
      ? doc.webhook && { url: doc.webhook.url, events: doc.webhook.events }
      : (fromAcceptance?.webhook ?? null),
    redriveOf: doc.requested ? doc.redriveOf : (fromAcceptance?.redriveOf ?? null),
    redrivenAs: doc.status === 'failed' ? redrivenAs : null,
    links: links(doc._id),
  };
}

export const isTerminal = (status: JobStatus) => terminalStatuses.has(status);
