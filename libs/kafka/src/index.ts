export { createKafka, type KafkaLogSink, type KafkaOptions } from './client';
export { ensureTopics, topicNames, topicSpecs, type TopicSettings, type TopicSpec } from './topics';
export { createConsumerRunner, type ConsumerRunner, type ConsumerRunnerOptions } from './consumer';
export type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
export { PublishTimeout, createPublisher, type OutgoingMessage, type Publish } from './publisher';
export { coPartitionedAssigner, planCoPartitioned } from './co-partitioned-assigner';
export { commitLedgers, PartitionLedger } from './ledger';
export { consumerGroups, readGroupLag, type ConsumerGroup, type GroupLag, type PartitionLag } from './groups';
