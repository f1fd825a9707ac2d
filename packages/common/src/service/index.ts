import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createInternalTokens, type InternalTokens } from '../auth/internal.js';
import { createRedis } from '../cache/index.js';
import type { ServiceEnv } from '../config/index.js';
import { createPool, checkDatabase, type Pool } from '../db/pool.js';
import { runMigrations } from '../db/migrations.js';
import { migrationDirs } from '../db/paths.js';
import type { EventBus } from '../events/envelope.js';
import { createInProcessBus } from '../events/in-process-bus.js';
import { createInProcessEventConsumer, createKafkaEventConsumer, type EventConsumer } from '../events/consumer.js';
import { createKafkaPublisher } from '../events/kafka.js';
import { createOutboxRelay, type OutboxRelay } from '../events/outbox.js';
import { createPeerBus } from '../events/peer-bus.js';
import type { OutgoingMessage } from '../events/envelope.js';
import type { Check } from '../health/index.js';
import { createLogger } from '../logger/index.js';
import { createMetrics, type Metrics } from '../metrics/index.js';

/** What every service behind the gateway is built from; main.ts adds its own adapters. */
export interface Platform {
  service: string;
  logger: Logger;
  pool: Pool;
  bus: EventBus;
  relay: OutboxRelay;
  /**
   * The service's event consumer (Kafka consumer group `<service>-service`, or the in-process bus):
   * main.ts registers handlers with `events.on(topic, handler)`, then calls `events.start()`.
   */
  events: EventConsumer;
  /** Without Kafka, where other processes' events enter this one (served by createServiceApp). */
  eventInbox?: (messages: OutgoingMessage[]) => Promise<void>;
  redis?: Redis;
  internalTokens: InternalTokens;
  metrics: Metrics;
  /** Readiness checks of the shared dependencies; a service adds its own. */
  checks: Record<string, Check>;
  close(): Promise<void>;
}

/**
 * Connects the shared dependencies from configuration: Postgres (migrated), Kafka or the
 * in-process bus, the outbox relay, and Redis when configured. Used by main.ts only.
 */
export async function startPlatform(options: {
  service: string;
  database: string;
  config: ServiceEnv;
  /** import.meta.dirname of main.ts; the db/ folder is found above it. */
  fromDir: string;
}): Promise<Platform> {
  const { config, service } = options;
  const logger = createLogger({ service, level: config.LOG_LEVEL });
  const pool = createPool({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_SIZE, logger });
  await runMigrations(pool, migrationDirs(options.database, options.fromDir), logger);

  const brokers = config.KAFKA_BOOTSTRAP_SERVERS?.split(',').map((b) => b.trim()).filter(Boolean) ?? [];
  const metrics = createMetrics({ service });
  const consumerOptions = { name: `${service}-service`, pool, logger, registry: metrics.registry };
  let bus: EventBus;
  let events: EventConsumer;
  let eventInbox: ((messages: OutgoingMessage[]) => Promise<void>) | undefined;
  const internalTokens = createInternalTokens({ secret: config.INTERNAL_TOKEN_SECRET, issuer: service });
  if (brokers.length) {
    bus = createKafkaPublisher({ brokers, clientId: `${service}-service`, logger });
    events = createKafkaEventConsumer({ ...consumerOptions, kafka: { brokers, clientId: `${service}-service`, logger } });
  } else {
    const inProcess = createInProcessBus({ onHandlerError: (err) => logger.warn({ err }, 'event handler failed') });
    // Services started as separate processes without Kafka hand each other their events over HTTP.
    bus = config.EVENT_PEERS.length ? createPeerBus({ local: inProcess, peers: config.EVENT_PEERS, internalTokens }) : inProcess;
    events = createInProcessEventConsumer({ ...consumerOptions, bus: inProcess });
    eventInbox = (messages) => inProcess.publish(messages);
  }
  logger.info({ bus: brokers.length ? 'kafka' : 'in-process', brokers, peers: config.EVENT_PEERS }, 'event bus');
  const relay = createOutboxRelay({ pool, bus, logger, pollMs: config.OUTBOX_POLL_MS });
  relay.start();

  const redis = config.REDIS_URL ? createRedis(config.REDIS_URL, logger) : undefined;
  const checks: Record<string, Check> = { database: () => checkDatabase(pool) };
  if (brokers.length) checks.kafka = () => bus.check();
  if (redis) checks.redis = () => redis.ping();

  return {
    service,
    logger,
    pool,
    bus,
    relay,
    events,
    ...(eventInbox ? { eventInbox } : {}),
    ...(redis ? { redis } : {}),
    internalTokens,
    metrics,
    checks,
    async close() {
      await events.stop();
      await relay.stop();
      await bus.close();
      redis?.disconnect();
      await pool.end();
    },
  };
}
export { createServiceApp, type ServiceAppDeps, type ServiceAppOptions } from './service-app.js';
