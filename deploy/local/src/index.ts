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
export { installK8sTools, K8S_TOOL_VERSIONS, type K8sTools } from './k8s-tools';
export { chartFileCopies } from './chart-files';
export { VERSIONS } from './versions';
