export { createLogger, REDACTED_PATHS, type Logger } from './logger';
export { createReadiness, type CheckResult, type Readiness, type ReadinessCheck } from './readiness';
export { createLifecycle, SHUTDOWN_PHASES, type Lifecycle, type ShutdownPhase, type ShutdownStep } from './lifecycle';
export { closeServer, createOpsHandler, listen, startOpsServer, type OpsHandler } from './ops-server';
export { EXIT_CONFIG, runService, type ServiceContext, type ServiceOptions } from './run-service';
export { connectInfrastructure, type Infrastructure, type InfrastructureSettings } from './infrastructure';
export { createServiceConsumer, startConsumerMember } from './consumer-member';
export { acknowledgingHandler, runConsumerService } from './consumer-service';
export { instrumentConsumer, kafkaMetrics, registerGroupLag, startPublisher } from './kafka-metrics';
