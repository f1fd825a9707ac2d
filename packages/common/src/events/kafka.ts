import { Kafka, logLevel, type Producer, type Admin, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';
import type { EventBus, OutgoingMessage } from './envelope.js';

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  logger?: Logger;
  /** How long one connection attempt may take; a broker outage should fail fast, not hang. */
  connectionTimeoutMs?: number;
}

export function createKafka(options: KafkaOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs ?? 2_000,
    requestTimeout: 10_000,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 2_000 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...rest } = entry.log;
      options.logger?.[entry.level <= logLevel.ERROR ? 'warn' : 'info']({ kafka: rest }, message);
    },
  });
}

/**
 * Publishes envelopes as JSON keyed by user id. Connects lazily and reconnects after a failure,
 * so a broker that was down at start-up is picked up once it is back.
 */
export function createKafkaPublisher(options: KafkaOptions): EventBus {
  const kafka = createKafka(options);
  let producer: Producer | undefined;
  let connecting: Promise<Producer> | undefined;
  let admin: Admin | undefined;

  const connected = async (): Promise<Producer> => {
    if (producer) return producer;
    connecting ??= (async () => {
      const p = kafka.producer({ allowAutoTopicCreation: true, idempotent: false, maxInFlightRequests: 1 });
      try {
        await p.connect();
      } catch (err) {
        await p.disconnect().catch(() => undefined);
        throw err;
      }
      p.on(p.events.DISCONNECT, () => {
        producer = undefined;
      });
      producer = p;
      return p;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  return {
    async publish(messages: OutgoingMessage[]) {
      if (messages.length === 0) return;
      const p = await connected();
      const byTopic = new Map<string, OutgoingMessage[]>();
      for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
      try {
        await p.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, list]) => ({
            topic,
            messages: list.map((m) => ({
              key: m.key,
              value: JSON.stringify(m.event),
              headers: { event_type: m.event.event_type, event_id: m.event.event_id },
            })),
          })),
        });
      } catch (err) {
        producer = undefined;
        await p.disconnect().catch(() => undefined);
        throw err;
      }
    },
    async check() {
      admin ??= kafka.admin();
      try {
        await admin.connect();
        await admin.describeCluster();
      } catch (err) {
        await admin.disconnect().catch(() => undefined);
        admin = undefined;
        throw err;
      }
    },
    async close() {
      await Promise.allSettled([producer?.disconnect(), admin?.disconnect()]);
      producer = undefined;
      admin = undefined;
    },
  };
}
