/** What other workspaces (the cross-service tests, the chaos suite) may use of the local stack. */
export { startKafkaComponent, startMongoComponent, type Component } from './components';
