import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load';
import { commonSettings } from './common';
import {
  booleanSetting,
  hostPortListSetting,
  intSetting,
  nameListSetting,
  portSetting,
  redactUrl,
  urlSetting,
} from './settings';

const env = {
  LONGHAUL_KAFKA_BROKERS: 'a:9092, b:9093',
  LONGHAUL_SCHEMA_REGISTRY_URL: 'http://registry:8081/apis/ccompat/v7/',
  LONGHAUL_MONGO_URL: 'mongodb://db:27017',
};

describe('loadConfig', () => {
  it('parses values and applies defaults', () => {
    const config = loadConfig(env, commonSettings);
    expect(config.kafkaBrokers).toEqual(['a:9092', 'b:9093']);
    expect(config.schemaRegistryUrl).toBe('http://registry:8081/apis/ccompat/v7');
    expect(config.topicPrefix).toBe('longhaul.');
    expect(config.requestedPartitions).toBe(12);
    expect(config.logLevel).toBe('info');
  });

  it('reports every bad variable at once, each by name', () => {
    let error: unknown;
    try {
      loadConfig(
        { LONGHAUL_MONGO_URL: 'http://x', LONGHAUL_LOG_LEVEL: 'loud', LONGHAUL_TOPIC_PREFIX: 'bad prefix!' },
        commonSettings,
      );
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).lines();
    expect(lines).toEqual([
      'config error: LONGHAUL_KAFKA_BROKERS is required but not set',
      'config error: LONGHAUL_SCHEMA_REGISTRY_URL is required but not set',
      'config error: LONGHAUL_MONGO_URL must use mongodb or mongodb+srv, got "http:"',
      expect.stringMatching(/^config error: LONGHAUL_TOPIC_PREFIX must be letters/),
      'config error: LONGHAUL_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, got "loud"',
    ]);
  });
});

describe('settings', () => {
  it('integers are whole and in range', () => {
    const s = intSetting('N', { min: 1, max: 10 });
    expect(s.parse('7')).toBe(7);
    expect(() => s.parse('7.5')).toThrow('must be a whole number, got "7.5"');
    expect(() => s.parse('1e3')).toThrow('whole number');
    expect(() => s.parse('11')).toThrow('must be between 1 and 10, got 11');
    expect(() => s.parse(undefined)).toThrow('is required but not set');
    expect(() => s.parse('  ')).toThrow('is required but not set');
  });

  it('ports are 1-65535', () => {
    expect(portSetting('P', 80).parse(undefined)).toBe(80);
    expect(() => portSetting('P').parse('0')).toThrow('between 1 and 65535');
    expect(() => portSetting('P').parse('65536')).toThrow('between 1 and 65535');
  });

  it('booleans accept the usual spellings only', () => {
    const s = booleanSetting('B', false);
    expect(s.parse('yes')).toBe(true);
    expect(s.parse('OFF')).toBe(false);
    expect(s.parse(undefined)).toBe(false);
    expect(() => s.parse('maybe')).toThrow('must be true or false');
  });

  it('host:port lists reject junk', () => {
    const s = hostPortListSetting('K');
    expect(s.parse('[::1]:9092,kafka-0.kafka:9092')).toEqual(['[::1]:9092', 'kafka-0.kafka:9092']);
    expect(() => s.parse('kafka')).toThrow('"kafka" is not host:port');
    expect(() => s.parse('kafka:99999')).toThrow('is not host:port');
    expect(() => s.parse(',')).toThrow('at least one');
  });

  it('URLs must parse and use an allowed scheme, and never echo credentials', () => {
    const s = urlSetting('U', { protocols: ['mongodb'] });
    expect(() => s.parse('not a url')).toThrow('must be a URL');
    expect(() => s.parse('ftp://user:pw@host')).toThrow('must use mongodb');
    expect(redactUrl('mongodb://user:secret@host/db')).toBe('mongodb://***@host/db');
    try {
      s.parse('mongodb//user:secret@host');
    } catch (err) {
      expect((err as Error).message).not.toContain('secret');
    }
  });
});

describe('nameListSetting', () => {
  const tenants = nameListSetting('LONGHAUL_METRICS_TENANTS', {
    pattern: /^[a-z]{1,8}$/,
    patternHint: 'short names',
    max: 3,
  });

  it('reads a comma-separated list, trimmed and without repeats; unset is empty', () => {
    expect(tenants.parse(' acme, globex ,acme,')).toEqual(['acme', 'globex']);
    expect(tenants.parse(undefined)).toEqual([]);
  });

  it('refuses entries that do not match, and too many entries', () => {
    expect(() => tenants.parse('acme,Robert"); DROP')).toThrow(/short names; bad: Robert/);
    expect(() => tenants.parse('a,b,c,d')).toThrow(/at most 3 entries, got 4/);
  });
});
