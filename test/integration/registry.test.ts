import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { describe, expect, it } from 'vitest';
import { createSchemaRegistry } from '@longhaul/contracts';
import { testStack, uniqueName } from '../helpers/stack';

const recordSchema = (name: string, extraFields: object[] = []) =>
  JSON.stringify({
    type: 'record',
    name,
    namespace: 'dev.longhaul.test',
    fields: [{ name: 'jobId', type: 'string' }, { name: 'attempt', type: 'int' }, ...extraFields],
  });

// @kafkajs/confluent-schema-registry against the real registry (Apicurio, ccompat API).
describe('the schema registry', () => {
  const stack = testStack();
  const registry = createSchemaRegistry({ url: stack.schemaRegistryUrl });

  it('registers an Avro schema, and encodes and decodes through it', async () => {
    const subject = uniqueName('it-subject');
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: recordSchema('Encoded') },
      { subject, compatibility: 'BACKWARD' as never },
    );
    expect(id).toBeGreaterThan(0);
    const encoded = await registry.encode(id, { jobId: 'job-1', attempt: 2 });
    // Confluent wire format: magic byte 0, then the 4-byte schema id.
    expect(encoded[0]).toBe(0);
    expect(encoded.readInt32BE(1)).toBe(id);
    expect(await registry.decode(encoded)).toEqual({ jobId: 'job-1', attempt: 2 });
    // Fetching by id from a fresh client works (the id is the registry's, not a local cache's).
    const fresh = createSchemaRegistry({ url: stack.schemaRegistryUrl });
    expect(await fresh.decode(encoded)).toEqual({ jobId: 'job-1', attempt: 2 });
  });

  it('accepts a compatible change and rejects an incompatible one under BACKWARD', async () => {
    const subject = uniqueName('it-evolve');
    const name = 'Evolving';
    await registry.register({ type: SchemaType.AVRO, schema: recordSchema(name) }, { subject });
    // Adding a field with a default is BACKWARD compatible.
    const v2 = await registry.register(
      { type: SchemaType.AVRO, schema: recordSchema(name, [{ name: 'stage', type: 'string', default: '' }]) },
      { subject },
    );
    expect(v2.id).toBeGreaterThan(0);
    // Adding a required field without a default is not: new readers cannot read old data.
    await expect(
      registry.register(
        {
          type: SchemaType.AVRO,
          schema: recordSchema(name, [
            { name: 'stage', type: 'string', default: '' },
            { name: 'tenant', type: 'string' },
          ]),
        },
        { subject },
      ),
    ).rejects.toThrow(/incompatible|compatib|409/i);
  });

  it('rejects a message that was not encoded through it', async () => {
    await expect(registry.decode(Buffer.from('{"jobId":"x"}'))).rejects.toThrow();
  });
});
