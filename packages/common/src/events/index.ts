export {
  TOPICS,
  TOPIC_PARTITIONS,
  createEvent,
  type Topic,
  type EventEnvelope,
  type EventBus,
  type OutgoingMessage,
} from './envelope.js';
export { createInProcessBus, type InProcessBus, type EventHandler } from './in-process-bus.js';
export { createPeerBus, EVENT_INBOX_PATH } from './peer-bus.js';
export { createKafka, createKafkaPublisher, type KafkaOptions } from './kafka.js';
export { enqueueEvent, createOutboxRelay, handleOnce, type OutboxRelay } from './outbox.js';
export {
  createKafkaEventConsumer,
  createInProcessEventConsumer,
  deadLetterTopic,
  type EventConsumer,
  type EventConsumerOptions,
  type ConsumedEventHandler,
  type DeliveryOutcome,
} from './consumer.js';
