import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { describe, expect, it } from 'vitest';
import {
  PoisonMessageError,
  SchemaRegistryUnavailableError,
  createEventCodec,
  createSchemaRegistry,
  eventTypes,
  goldenEvents,
  schemas,
} from '@longhaul/contracts';
import { testStack, uniqueName } from '../helpers/stack';

describe('event contracts in the real Schema Registry', () => {
  const registry = createSchemaRegistry({ url: testStack().schemaRegistryUrl });
  const prefix = `${uniqueName('it-contracts')}.`;
  const codec = createEventCodec(registry, prefix);

  it('registers one subject per event type, named <topic>-<record full name>', async () => {
    await codec.register();
    const subjects = (await (await fetch(`${testStack().schemaRegistryUrl}/subjects`)).json()) as string[];
    for (const type of eventTypes) {
      expect(subjects).toContain(`${codec.topicOf(type)}-io.longhaul.jobs.v1.${type}`);
    }
    expect(codec.subjectOf('JobStarted')).toBe(`${prefix}jobs.events-io.longhaul.jobs.v1.JobStarted`);
    expect(codec.subjectOf('JobRequested')).toBe(`${prefix}jobs.requested-io.longhaul.jobs.v1.JobRequested`);
    expect(codec.subjectOf('JobCancelRequested')).toBe(`${prefix}jobs.control-io.longhaul.jobs.v1.JobCancelRequested`);
  });

  it.each(eventTypes)('%s: the golden example round-trips through the registry, keyed by job id', async (type) => {
    const event = goldenEvents[type];
    const encoded = await codec.encode(event, {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    expect(encoded.key).toBe(event.jobId);
    expect(encoded.topic).toBe(codec.topicOf(type));
    expect(encoded.headers['longhaul-event-type']).toBe(type);
    expect(encoded.headers['traceparent']).toMatch(/^00-/);
    expect(encoded.value[0]).toBe(0); // Confluent wire format: magic byte, then the schema id
    expect(await codec.decode({ value: encoded.value })).toEqual(event);
  });

  it('refuses an incompatible change and accepts a compatible one', async () => {
    const subject = codec.subjectOf('JobProgressed');
    const base = schemas.JobProgressed;
    // A new field without a default: readers of the new schema could not read old events.
    const incompatible = { ...base, fields: [...base.fields, { name: 'eta', type: 'long' }] };
    await expect(
      registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(incompatible) }, { subject }),
    ).rejects.toThrow(/incompatible|compatib/i);
    // Changing a field's type is refused too.
    const retyped = {
      ...base,
      fields: base.fields.map((f) => (f.name === 'percent' ? { ...f, type: 'string' } : f)),
    };
    await expect(
      registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(retyped) }, { subject }),
    ).rejects.toThrow();
    // A new optional field with a default is a compatible evolution.
    const evolved = { ...base, fields: [...base.fields, { name: 'eta', type: ['null', 'long'], default: null }] };
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(evolved) }, { subject });
    expect(id).toBeGreaterThan(0);
  });

  it('calls anything that is not a Longhaul event poison, without throwing anything else', async () => {
    const bad = [
      Buffer.from(''),
      Buffer.from('{"eventType":"JobStarted"}'),
      Buffer.from([0, 0, 0, 0x7f, 0x7f, 1, 2, 3]),
    ];
    for (const value of bad) await expect(codec.decode({ value })).rejects.toBeInstanceOf(PoisonMessageError);
    await expect(codec.decode({ value: null })).rejects.toBeInstanceOf(PoisonMessageError);
    // A valid Avro message of another schema is not an event either.
    const { id } = await registry.register(
      {
        type: SchemaType.AVRO,
        schema: JSON.stringify({ type: 'record', name: 'Other', namespace: 'x', fields: [{ name: 'a', type: 'int' }] }),
      },
      { subject: `${prefix}other-x.Other` },
    );
    await expect(codec.decode({ value: await registry.encode(id, { a: 1 }) })).rejects.toBeInstanceOf(
      PoisonMessageError,
    );
  });

  it('does not call a valid event poison when the registry cannot be reached: the consumer reads it again later', async () => {
    const { value } = await codec.encode(goldenEvents.JobSucceeded);
    // A process that has not seen this schema yet, and a registry that is not there.
    const unreachable = createEventCodec(createSchemaRegistry({ url: 'http://127.0.0.1:9' }), prefix);
    const err: unknown = await unreachable.decode({ value }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaRegistryUnavailableError);
    expect(err).not.toBeInstanceOf(PoisonMessageError);
    // Once the registry answers, the message decodes.
    const fresh = createEventCodec(createSchemaRegistry({ url: testStack().schemaRegistryUrl }), prefix);
    expect(await fresh.decode({ value })).toEqual(goldenEvents.JobSucceeded);
  });
});
