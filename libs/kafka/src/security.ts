import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';

/** How a service authenticates to the brokers and protects the connection (common settings). */
export interface KafkaSecuritySettings {
  readonly kafkaSaslMechanism: 'none' | 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly kafkaSaslUsername: string;
  readonly kafkaSaslPassword: string;
  readonly kafkaTls: boolean;
  /** A PEM bundle of the brokers' CA; empty: the system's trusted CAs. */
  readonly kafkaTlsCaFile: string;
}

export type KafkaSecurity = Pick<KafkaConfig, 'ssl' | 'sasl'>;

/**
 * The kafkajs `ssl` and `sasl` options for the settings. Throws naming the variable when SASL
 * is asked for without credentials (never echoing them). `readFile` is injectable for tests.
 */
export function kafkaSecurity(
  s: KafkaSecuritySettings,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): KafkaSecurity {
  const out: { ssl?: KafkaConfig['ssl']; sasl?: SASLOptions } = {};
  if (s.kafkaTls) out.ssl = s.kafkaTlsCaFile === '' ? true : { ca: [readFile(s.kafkaTlsCaFile)] };
  else if (s.kafkaTlsCaFile !== '') throw new Error('LONGHAUL_KAFKA_TLS_CA_FILE is set but LONGHAUL_KAFKA_TLS is off');
  if (s.kafkaSaslMechanism !== 'none') {
    const missing = [
      s.kafkaSaslUsername === '' ? 'LONGHAUL_KAFKA_SASL_USERNAME' : undefined,
      s.kafkaSaslPassword === '' ? 'LONGHAUL_KAFKA_SASL_PASSWORD' : undefined,
    ].filter((v) => v !== undefined);
    if (missing.length > 0) {
      throw new Error(`LONGHAUL_KAFKA_SASL_MECHANISM=${s.kafkaSaslMechanism} needs ${missing.join(' and ')}`);
    }
    const credentials = { username: s.kafkaSaslUsername, password: s.kafkaSaslPassword };
    out.sasl =
      s.kafkaSaslMechanism === 'plain'
        ? { mechanism: 'plain', ...credentials }
        : s.kafkaSaslMechanism === 'scram-sha-256'
          ? { mechanism: 'scram-sha-256', ...credentials }
          : { mechanism: 'scram-sha-512', ...credentials };
  }
  return out;
}
