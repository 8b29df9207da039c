import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';

/** Where the stack that `npm test` started is; a clear failure when run some other way. */
export interface TestStack {
  readonly kafkaBrokers: string[];
  readonly schemaRegistryUrl: string;
  readonly mongoUrl: string;
  readonly dataDir: string;
  /** Where the installed Kafka, FerretDB… are (for components of a test's own). */
  readonly cacheDir: string;
  /** The Node 24 binary that runs the services. */
  readonly node: string;
}

export function testStack(): TestStack {
  const get = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run the integration tests through \`npm test\``);
    return value;
  };
  return {
    kafkaBrokers: get('LONGHAUL_TEST_KAFKA_BROKERS').split(','),
    schemaRegistryUrl: get('LONGHAUL_TEST_SCHEMA_REGISTRY_URL'),
    mongoUrl: get('LONGHAUL_TEST_MONGO_URL'),
    dataDir: get('LONGHAUL_TEST_DATA_DIR'),
    cacheDir: get('LONGHAUL_TEST_CACHE_DIR'),
    node: get('LONGHAUL_TEST_NODE'),
  };
}

/** A name no other test (or earlier run) uses: topics, groups, databases, subjects. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Drop a database a test made (best effort: the test's result does not depend on it). */
export async function dropTestDatabase(name: string, url = testStack().mongoUrl): Promise<void> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.db(name).dropDatabase();
  } catch {
    // already gone, or the server is down: nothing to clean
  } finally {
    await client.close();
  }
}
