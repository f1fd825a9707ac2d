import type { EventBus, EventEnvelope, OutgoingMessage } from './envelope.js';

export type EventHandler = (event: EventEnvelope, topic: string) => Promise<void> | void;

export interface InProcessBus extends EventBus {
  subscribe(topic: string, handler: EventHandler): () => void;
}

/** The embedded stand-in for Kafka: same envelope and topics, delivered within this process. */
export function createInProcessBus(options: { onHandlerError?: (err: unknown) => void } = {}): InProcessBus {
  const handlers = new Map<string, Set<EventHandler>>();
  return {
    subscribe(topic, handler) {
      const set = handlers.get(topic) ?? new Set<EventHandler>();
      set.add(handler);
      handlers.set(topic, set);
      return () => set.delete(handler);
    },
    async publish(messages: OutgoingMessage[]) {
      for (const message of messages) {
        for (const handler of handlers.get(message.topic) ?? []) {
          try {
            await handler(message.event, message.topic);
          } catch (err) {
            options.onHandlerError?.(err);
          }
        }
      }
    },
    async check() {},
    async close() {
      handlers.clear();
    },
  };
}
