import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Pool, Queryable } from '../db/pool.js';
import type { EventEnvelope } from './envelope.js';
import type { InProcessBus } from './in-process-bus.js';
import { createKafka, type KafkaOptions } from './kafka.js';
import { handleOnce } from './outbox.js';

/**
 * Handles one event. `db` is the transaction that also records the event as processed: writes made
 * through it commit together with that record, so a redelivered event finds them done.
 */
export type ConsumedEventHandler = (event: EventEnvelope, context: { db: Queryable; topic: string }) => Promise<void>;

export type DeliveryOutcome = 'handled' | 'duplicate' | 'dead_lettered';

export interface EventConsumer {
  /** Registers the handler of a topic (one per topic); call before start(). */
  on(topic: string, handler: ConsumedEventHandler): void;
  /** Starts consuming the registered topics; does nothing when none is registered. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface EventConsumerOptions {
  /** The consumer's name: its Kafka consumer group and its name in processed_events, e.g. "quiz-service". */
  name: string;
  pool: Pool;
  logger?: Logger;
  /** Where the consumer's metrics are registered (the service's /metrics registry). */
  registry?: Registry;
  /** Tries of a failing handler before its event goes to the dead-letter topic. */
  maxAttempts?: number;
  /** Wait after the first failure, doubled after each further one up to maxRetryDelayMs. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

/** The topic an event whose handler keeps failing is moved to. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

interface ConsumerMetrics {
  consumed: Counter<'consumer' | 'topic' | 'outcome'>;
  failures: Counter<'consumer' | 'topic'>;
  deadLettered: Counter<'consumer' | 'topic'>;
  lag: Gauge<'consumer' | 'topic' | 'partition'>;
}

function metricOnce<T>(registry: Registry | undefined, name: string, create: (registers: Registry[]) => T): T {
  const existing = registry?.getSingleMetric(name);
  return (existing as T | undefined) ?? create(registry ? [registry] : []);
}

function consumerMetrics(registry: Registry | undefined): ConsumerMetrics {
  return {
    consumed: metricOnce(
      registry,
      'events_consumed_total',
      (registers) =>
        new Counter({
          name: 'events_consumed_total',
          help: 'Events a consumer finished with, by outcome: handled, duplicate (already handled), dead_lettered',
          labelNames: ['consumer', 'topic', 'outcome'],
          registers,
        }),
    ),
    failures: metricOnce(
      registry,
      'event_handler_failures_total',
      (registers) =>
        new Counter({
          name: 'event_handler_failures_total',
          help: 'Failed tries of an event handler (each retry counts)',
          labelNames: ['consumer', 'topic'],
          registers,
        }),
    ),
    deadLettered: metricOnce(
      registry,
      'events_dead_lettered_total',
      (registers) =>
        new Counter({
          name: 'events_dead_lettered_total',
          help: 'Events moved to the dead-letter topic after their handler kept failing',
          labelNames: ['consumer', 'topic'],
          registers,
        }),
    ),
    lag: metricOnce(
      registry,
      'event_consumer_lag',
      (registers) =>
        new Gauge({
          name: 'event_consumer_lag',
          help: 'Messages of a partition not yet handled by this consumer (high watermark minus next offset)',
          labelNames: ['consumer', 'topic', 'partition'],
          registers,
        }),
    ),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Dispatcher {
  handlers: Map<string, ConsumedEventHandler>;
  metrics: ConsumerMetrics;
  /**
   * Runs the topic's handler once per event id, retrying with back-off; after the last failed try
   * calls `deadLetter` (whose failure is thrown, so the event is delivered again rather than lost).
   */
  deliver(
    topic: string,
    event: EventEnvelope,
    deadLetter: (error: unknown, attempts: number) => Promise<void>,
    keepAlive?: () => Promise<void>,
  ): Promise<DeliveryOutcome>;
}

/** The delivery logic both modes share: de-duplication, retries with back-off, dead-lettering. */
function createDispatcher(options: EventConsumerOptions): Dispatcher {
  const maxAttempts = options.maxAttempts ?? 5;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 5_000;
  const handlers = new Map<string, ConsumedEventHandler>();
  const metrics = consumerMetrics(options.registry);
  const consumer = options.name;

  const wait = async (ms: number, keepAlive?: () => Promise<void>): Promise<void> => {
    // Kafka must keep hearing from the consumer while it waits, or it hands the partition away.
    const until = Date.now() + ms;
    while (Date.now() < until) {
      await sleep(Math.min(1_000, until - Date.now()));
      await keepAlive?.();
    }
  };

  return {
    handlers,
    metrics,
    async deliver(topic, event, deadLetter, keepAlive) {
      const handler = handlers.get(topic);
      if (!handler) return 'duplicate';
      let lastError: unknown;
      for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
        try {
          const handled = await handleOnce(options.pool, consumer, event, (db) => handler(event, { db, topic }));
          const outcome = handled ? 'handled' : 'duplicate';
          metrics.consumed.inc({ consumer, topic, outcome });
          return outcome;
        } catch (err) {
          lastError = err;
          metrics.failures.inc({ consumer, topic });
          options.logger?.warn({ err, topic, event_id: event.event_id, attempt, maxAttempts }, 'event handler failed');
          if (attempt < maxAttempts) await wait(Math.min(maxRetryDelayMs, retryDelayMs * 2 ** (attempt - 1)), keepAlive);
        }
      }
      await deadLetter(lastError, maxAttempts);
      metrics.deadLettered.inc({ consumer, topic });
      metrics.consumed.inc({ consumer, topic, outcome: 'dead_lettered' });
      options.logger?.error(
        { err: lastError, topic, dead_letter_topic: deadLetterTopic(topic), event_id: event.event_id },
        'event moved to the dead-letter topic',
      );
      return 'dead_lettered';
    },
  };
}

function errorText(err: unknown): string {
  return String((err as Error | undefined)?.message ?? err).slice(0, 1_000);
}

function parseEnvelope(message: KafkaMessage): EventEnvelope | undefined {
  try {
    const value = JSON.parse(message.value?.toString() ?? '') as Partial<EventEnvelope> | null;
    return value && typeof value.event_id === 'string' && typeof value.event_type === 'string'
      ? (value as EventEnvelope)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Consumes the registered topics as the Kafka consumer group `name`, from the earliest offset the
 * first time. An offset is committed only after its event was handled, found already handled or
 * moved to `<topic>.dlq`, so delivery is at least once and processed_events makes it once in effect.
 * A failing event holds its partition only for its retries (about 3 s by default); partitions are
 * consumed concurrently, so other partitions never wait for it. The dead-letter message keeps the
 * original key, value and headers and adds dlq_* headers naming the error and where it came from.
 */
export function createKafkaEventConsumer(
  options: EventConsumerOptions & { kafka: KafkaOptions | Kafka; partitionsConsumedConcurrently?: number },
): EventConsumer {
  const dispatcher = createDispatcher(options);
  const kafka =
    'consumer' in options.kafka ? options.kafka : createKafka(options.kafka);
  const name = options.name;
  let consumer: Consumer | undefined;
  let producer: Producer | undefined;
  let running = false;
  let starting: Promise<void> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;

  const deadLetterProducer = async (): Promise<Producer> => {
    if (producer) return producer;
    const p = kafka.producer({ allowAutoTopicCreation: true });
    await p.connect();
    producer = p;
    return p;
  };

  const sendToDeadLetter = async (
    topic: string,
    partition: number,
    message: KafkaMessage,
    error: unknown,
    attempts: number,
  ): Promise<void> => {
    const headers: IHeaders = {
      ...message.headers,
      dlq_error: errorText(error),
      dlq_consumer: name,
      dlq_attempts: String(attempts),
      dlq_source_topic: topic,
      dlq_source_partition: String(partition),
      dlq_source_offset: message.offset,
    };
    try {
      const p = await deadLetterProducer();
      await p.send({ topic: deadLetterTopic(topic), acks: -1, messages: [{ key: message.key, value: message.value, headers }] });
    } catch (err) {
      await producer?.disconnect().catch(() => undefined);
      producer = undefined;
      throw err;
    }
  };

  const eachBatch = async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> => {
    const { topic, partition } = batch;
    const high = Number(batch.highWatermark);
    const labels = { consumer: name, topic, partition: String(partition) };
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) return;
      dispatcher.metrics.lag.set(labels, Math.max(0, high - Number(message.offset)));
      const event = parseEnvelope(message);
      if (event) {
        await dispatcher.deliver(
          topic,
          event,
          (err, attempts) => sendToDeadLetter(topic, partition, message, err, attempts),
          heartbeat,
        );
      } else {
        // Not an envelope: no handler could ever take it, so it goes straight to the dead-letter topic.
        await sendToDeadLetter(topic, partition, message, new Error('message is not an event envelope'), 0);
        dispatcher.metrics.deadLettered.inc({ consumer: name, topic });
        dispatcher.metrics.consumed.inc({ consumer: name, topic, outcome: 'dead_lettered' });
        options.logger?.error({ topic, partition, offset: message.offset }, 'message is not an event envelope; dead-lettered');
      }
      resolveOffset(message.offset);
      dispatcher.metrics.lag.set(labels, Math.max(0, high - Number(message.offset) - 1));
      await heartbeat();
    }
  };

  const connect = async (): Promise<void> => {
    const c = kafka.consumer({ groupId: name, allowAutoTopicCreation: true });
    c.on(c.events.GROUP_JOIN, () => dispatcher.metrics.lag.reset());
    c.on(c.events.CRASH, (event) => {
      // kafkajs restarts by itself after a retriable failure; otherwise start over from connecting.
      if (!event.payload.restart && running) {
        options.logger?.warn({ err: event.payload.error }, 'event consumer stopped; reconnecting');
        consumer = undefined;
        failures += 1;
        void c.disconnect().catch(() => undefined);
        schedule();
      }
    });
    try {
      await c.connect();
      await c.subscribe({ topics: [...dispatcher.handlers.keys()], fromBeginning: true });
      await c.run({
        partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 3,
        eachBatchAutoResolve: false,
        eachBatch,
      });
    } catch (err) {
      await c.disconnect().catch(() => undefined);
      throw err;
    }
    consumer = c;
  };

  const attempt = async (): Promise<void> => {
    try {
      await connect();
      failures = 0;
    } catch (err) {
      failures += 1;
      if (failures === 1 || failures % 10 === 0) {
        options.logger?.warn({ err, failures }, 'event consumer could not connect to Kafka; will retry');
      }
      schedule();
    }
  };
  // Reconnects in the background with back-off, so a broker that is down delays events, never the service.
  function schedule(): void {
    if (!running) return;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
    retryTimer = setTimeout(() => {
      starting = attempt().finally(() => {
        starting = undefined;
      });
    }, delay);
  }

  return {
    on(topic, handler) {
      if (dispatcher.handlers.has(topic)) throw new Error(`A handler of ${topic} is already registered`);
      dispatcher.handlers.set(topic, handler);
    },
    async start() {
      if (running || dispatcher.handlers.size === 0) return;
      running = true;
      // Resolves once the first connection attempt is over; later ones happen in the background.
      starting = attempt().finally(() => {
        starting = undefined;
      });
      await starting;
    },
    async stop() {
      running = false;
      if (retryTimer) clearTimeout(retryTimer);
      await starting?.catch(() => undefined);
      await Promise.allSettled([consumer?.disconnect(), producer?.disconnect()]);
      consumer = undefined;
      producer = undefined;
    },
  };
}

/**
 * The embedded consumer: the same handlers, de-duplication, retries and dead-lettering on the
 * in-process bus. A dead event is published to `<topic>.dlq` on the bus.
 */
export function createInProcessEventConsumer(options: EventConsumerOptions & { bus: InProcessBus }): EventConsumer {
  const dispatcher = createDispatcher(options);
  const unsubscribe: (() => void)[] = [];
  return {
    on(topic, handler) {
      if (dispatcher.handlers.has(topic)) throw new Error(`A handler of ${topic} is already registered`);
      dispatcher.handlers.set(topic, handler);
    },
    async start() {
      if (unsubscribe.length) return;
      for (const topic of dispatcher.handlers.keys()) {
        unsubscribe.push(
          options.bus.subscribe(topic, async (event) => {
            await dispatcher.deliver(topic, event, (error, attempts) =>
              options.bus.publish([
                {
                  topic: deadLetterTopic(topic),
                  key: event.user_id,
                  event: { ...event, payload: { ...event.payload, dlq_error: errorText(error), dlq_attempts: attempts } },
                },
              ]),
            );
          }),
        );
      }
    },
    async stop() {
      for (const off of unsubscribe.splice(0)) off();
    },
  };
}
