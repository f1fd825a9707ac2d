import cluster from 'node:cluster';
import { createRedis } from '@learner/common/cache';
import { exitOnConfigError } from '@learner/common/config';
import { createPool, migrationDirs, runMigrations } from '@learner/common/db';
import { closeServer, listen, onShutdown } from '@learner/common/http';
import { createLogger } from '@learner/common/logger';
import {
  createInProcessBus,
  createInProcessEventConsumer,
  createKafkaEventConsumer,
  createKafkaPublisher,
  createOutboxRelay,
  createPeerBus,
  type OutgoingMessage,
} from '@learner/common/events';
import { createMetrics, serveClusterMetrics } from '@learner/common/metrics';
import { createApp } from './app.js';
import { readApiDocument } from './docs/api-document-file.js';
import { loadConfig } from './config.js';
import { createGatewayDependencies } from './dependencies.js';
import { superviseProcesses } from './process-supervisor.js';

const config = exitOnConfigError(() => loadConfig(process.env));
const logger = createLogger({ service: 'gateway', level: config.LOG_LEVEL });

if (config.PROCESSES > 1 && cluster.isPrimary) {
  serveClusterMetrics();
  superviseProcesses({ count: config.PROCESSES, logger });
} else {
  await startGateway();
}

/** One gateway process: the whole gateway when PROCESSES is 1, one of several sharing the port otherwise. */
async function startGateway(): Promise<void> {
  const pool = createPool({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_SIZE, logger });
  await runMigrations(pool, migrationDirs('gateway', import.meta.dirname), logger);

  const redis = config.REDIS_URL ? createRedis(config.REDIS_URL, logger) : undefined;
  logger.info({ mode: redis ? 'redis' : 'in-memory' }, 'rate limiter and token revocation');
  const gateway = createGatewayDependencies({ config, pool, redis, logger });
  const { internalTokens, services } = gateway;

  // Account erasure: user.deleted goes out through the outbox, the services' confirmations come back.
  const metrics = createMetrics({ service: 'gateway', clusterWide: cluster.isWorker });
  const brokers = config.KAFKA_BOOTSTRAP_SERVERS?.split(',').map((b) => b.trim()).filter(Boolean) ?? [];
  const consumerOptions = { name: 'gateway-service', pool, logger, registry: metrics.registry };
  const inProcess = brokers.length ? undefined : createInProcessBus({ onHandlerError: (err) => logger.warn({ err }, 'event handler failed') });
  // Without Kafka the services, separate processes, take the gateway's events over HTTP (EVENT_PEERS).
  const kafka = brokers.length ? createKafkaPublisher({ brokers, clientId: 'gateway-service', logger }) : undefined;
  const bus = inProcess
    ? config.EVENT_PEERS.length
      ? createPeerBus({ local: inProcess, peers: config.EVENT_PEERS, internalTokens })
      : inProcess
    : kafka!;
  const events = inProcess
    ? createInProcessEventConsumer({ ...consumerOptions, bus: inProcess })
    : createKafkaEventConsumer({ ...consumerOptions, kafka: { brokers, clientId: 'gateway-service', logger } });
  const relay = createOutboxRelay({ pool, bus, logger, pollMs: config.OUTBOX_POLL_MS });

  const app = createApp({
    logger,
    pool,
    events,
    ...(inProcess ? { eventInbox: (messages: OutgoingMessage[]) => inProcess.publish(messages) } : {}),
    metrics,
    ...gateway,
    // Kafka carries account erasures: /ready says when it is down, as every service's does.
    checks: { ...gateway.checks, ...(kafka ? { kafka: () => kafka.check() } : {}) },
    apiDocument: readApiDocument(),
  });
  // The in-process consumer subscribes before peers can post to the inbox; joining a Kafka group
  // can take seconds, which serving must not wait for.
  if (inProcess) await events.start();
  const server = await listen(app, config.PORT);
  logger.info({ port: config.PORT, services, events: brokers.length ? 'kafka' : 'in-process' }, 'gateway listening');
  relay.start();
  await events.start();

  onShutdown(logger, async () => {
    await closeServer(server);
    await events.stop();
    await relay.stop();
    await bus.close();
    redis?.disconnect();
    await pool.end();
  });
}
