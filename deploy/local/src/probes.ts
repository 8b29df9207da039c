import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';

/** Readiness probes that make real calls: a broker metadata call, a registry call, a ping. */
export function kafkaProbe(brokers: string[]): () => Promise<boolean> {
  return async () => {
    const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING, connectionTimeout: 1_000, retry: { retries: 0 } });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.length > 0 && cluster.controller !== null;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  };
}

export function httpProbe(url: string): () => Promise<boolean> {
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.body?.cancel();
    return res.ok;
  };
}

export function mongoProbe(url: string): () => Promise<boolean> {
  return async () => {
    const client = new MongoClient(url, { serverSelectionTimeoutMS: 1_000, connectTimeoutMS: 1_000 });
    try {
      await client.connect();
      const res = await client.db('admin').command({ ping: 1 });
      return res['ok'] === 1;
    } finally {
      await client.close().catch(() => undefined);
    }
  };
}
