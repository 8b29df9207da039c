/**
 * The ingress: the public REST API. Composition root: config → infrastructure → producer →
 * HTTP app; shutdown stops taking requests first, then flushes the producer, then closes.
 */
import { createServer } from 'node:http';
import { topicSpecs } from '@longhaul/kafka';
import { closeServer, connectInfrastructure, createOpsHandler, listen, runService } from '@longhaul/runtime';
import { createApp } from './app';
import { loadIngressConfig } from './config';

void runService({
  name: 'ingress',
  loadConfig: () => loadIngressConfig(process.env),
  logLevel: (c) => c.logLevel,
  shutdownTimeoutMs: (c) => c.shutdownTimeoutMs,
  async start(config, ctx) {
    const topics = topicSpecs(config);
    const infra = await connectInfrastructure('ingress', config, [topics.requested], ctx);

    const producer = infra.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    let producerConnected = false;
    producer.on(producer.events.CONNECT, () => (producerConnected = true));
    producer.on(producer.events.DISCONNECT, () => (producerConnected = false));
    await producer.connect();
    ctx.lifecycle.onShutdown('flush', 'kafka-producer', () => producer.disconnect());
    ctx.readiness.add('kafka-producer', () => producerConnected);

    const app = createApp({ ops: createOpsHandler(ctx), logger: ctx.logger });
    const handle = app.callback();
    const server = createServer((req, res) => void handle(req, res));
    server.requestTimeout = 30_000;
    await listen(server, config.bindHost, config.httpPort);
    ctx.lifecycle.onShutdown('intake', 'http-server', () => closeServer(server));
    ctx.logger.info({ url: `http://${config.bindHost}:${config.httpPort}` }, 'listening');
  },
});
