import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';

export { SchemaRegistry } from '@kafkajs/confluent-schema-registry';

/** The Confluent-compatible Schema Registry client every service encodes and decodes through. */
export function createSchemaRegistry(opts: { url: string }): SchemaRegistry {
  return new SchemaRegistry({ host: opts.url, retry: { retries: 3, initialRetryTimeInSecs: 0.2 } });
}

/** A real call to the registry (the subject list), for readiness. */
export async function pingSchemaRegistry(url: string, timeoutMs = 2_000): Promise<boolean> {
  const res = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(timeoutMs) });
  await res.body?.cancel();
  return res.ok;
}
