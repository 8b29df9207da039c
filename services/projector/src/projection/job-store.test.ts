import { goldenEvents, type JobDocument } from '@longhaul/contracts';
import { describe, expect, it } from 'vitest';
import { applyEvent, type ProjectedEvent } from './apply-event';
import { fromStored, toStored } from './job-store';

/** A job with every kind of change pending: progress, a failed attempt with its next time, the end. */
function projected(): JobDocument {
  const events: ProjectedEvent[] = [
    goldenEvents.JobRequested,
    goldenEvents.JobStarted,
    goldenEvents.JobProgressed,
    goldenEvents.JobAttemptFailed,
  ];
  let doc: JobDocument | null = null;
  for (const e of events) {
    const r = applyEvent(doc, e, { retentionMs: 86_400_000 }, new Date('2026-11-29T12:00:00.000Z'));
    if (r.applied) doc = r.doc;
  }
  return doc!;
}

describe('the stored form of a job document', () => {
  it('keeps the pending changes as one text field and reads them back exactly, times as dates', () => {
    const doc = projected();
    expect(doc.pendingChanges.length).toBeGreaterThanOrEqual(3);
    // Every kind of time a change holds is there to be read back.
    expect(doc.pendingChanges.some((c) => c.progress !== null)).toBe(true);
    expect(doc.pendingChanges.some((c) => c.nextAttemptAt !== null)).toBe(true);
    expect(doc.pendingChanges.some((c) => c.startedAt !== null)).toBe(true);
    const stored = toStored(doc);
    expect(typeof stored.pendingChanges).toBe('string');
    const { pendingChanges, ...fields } = stored;
    void pendingChanges;
    expect(fields).toEqual((({ pendingChanges: _, ...rest }) => rest)(doc));
    const back = fromStored(structuredClone(stored));
    expect(back).toEqual(doc);
    expect(back.pendingChanges.every((c) => c.appliedAt instanceof Date && c.cause.time instanceof Date)).toBe(true);
  });

  it('reads a document stored with the changes as an array (written before they were text)', () => {
    const doc = projected();
    expect(fromStored(structuredClone(doc))).toEqual(doc);
  });
});
