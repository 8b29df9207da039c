/** What other workspaces (the cross-service tests, the chaos suite) may use of the local stack. */
export {
  promtoolPath,
  startKafkaComponent,
  startMongoComponent,
  startPrometheusComponent,
  type Component,
} from './components';
export type { ScrapeTarget } from './prometheus';
