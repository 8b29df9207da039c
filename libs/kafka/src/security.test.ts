import { describe, expect, it } from 'vitest';
import { kafkaSecurity, type KafkaSecuritySettings } from './security';

const none: KafkaSecuritySettings = {
  kafkaSaslMechanism: 'none',
  kafkaSaslUsername: '',
  kafkaSaslPassword: '',
  kafkaTls: false,
  kafkaTlsCaFile: '',
};

describe('kafkaSecurity', () => {
  it('plain connections by default', () => {
    expect(kafkaSecurity(none)).toEqual({});
  });

  it('TLS with the system CAs, or with a CA file', () => {
    expect(kafkaSecurity({ ...none, kafkaTls: true })).toEqual({ ssl: true });
    const read = (path: string) => `PEM of ${path}`;
    expect(kafkaSecurity({ ...none, kafkaTls: true, kafkaTlsCaFile: '/etc/kafka/ca.crt' }, read)).toEqual({
      ssl: { ca: ['PEM of /etc/kafka/ca.crt'] },
    });
    expect(() => kafkaSecurity({ ...none, kafkaTlsCaFile: '/ca.crt' })).toThrow(/LONGHAUL_KAFKA_TLS is off/);
  });

  it('SASL with the mechanism and credentials', () => {
    const s = { ...none, kafkaSaslMechanism: 'scram-sha-512', kafkaSaslUsername: 'u', kafkaSaslPassword: 'p' } as const;
    expect(kafkaSecurity(s)).toEqual({ sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } });
  });

  it('SASL without credentials names the missing variables, never a value', () => {
    const s = { ...none, kafkaSaslMechanism: 'plain', kafkaSaslPassword: 'hunter2' } as const;
    expect(() => kafkaSecurity(s)).toThrow('LONGHAUL_KAFKA_SASL_MECHANISM=plain needs LONGHAUL_KAFKA_SASL_USERNAME');
    try {
      kafkaSecurity(s);
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
  });
});
