/** What other workspaces (the cross-service tests, the chaos suite) may use of the local stack. */
export {
  kafkaToolCommand,
  promtoolPath,
  startKafkaComponent,
  startMongoComponent,
  startPrometheusComponent,
  startRedisComponent,
  type Component,
} from './components';
export type { ScrapeTarget } from './prometheus';
export { VERSIONS } from './versions';
