import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { goldenEvents } from './golden';
import { eventTypes, fullName, schemas } from './schemas';

describe('event schemas', () => {
  it.each(eventTypes)('%s: the golden example encodes and decodes to itself', (type) => {
    const avroType = avro.Type.forSchema(schemas[type] as avro.Schema);
    const example = goldenEvents[type];
    expect(avroType.isValid(example, { errorHook: (path) => expect.fail(`invalid at ${path.join('.')}`) })).toBe(true);
    expect(avroType.fromBuffer(avroType.toBuffer(example))).toEqual(example);
  });

  it('every schema starts with the envelope and names itself in eventType', () => {
    for (const type of eventTypes) {
      const fields = schemas[type].fields.map((f) => f.name);
      expect(fields.slice(0, 9)).toEqual([
        'eventId',
        'eventType',
        'jobId',
        'tenant',
        'jobType',
        'attempt',
        'epoch',
        'sequence',
        'time',
      ]);
      expect(goldenEvents[type].eventType).toBe(type);
      expect(fullName(type)).toBe(`io.longhaul.jobs.v1.${type}`);
    }
  });

  it('refuses a value that does not fit, so a producer cannot emit a malformed event', () => {
    const avroType = avro.Type.forSchema(schemas.JobProgressed as avro.Schema);
    expect(avroType.isValid({ ...goldenEvents.JobProgressed, percent: 'half' })).toBe(false);
    expect(() => avroType.toBuffer({ ...goldenEvents.JobProgressed, jobId: undefined })).toThrow();
  });
});
