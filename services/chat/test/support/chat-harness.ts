import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createInternalTokens } from '@learner/common/auth';
import type { Env } from '@learner/common/config';
import { createInProcessBus, createKafkaEventConsumer, createOutboxRelay, type EventEnvelope } from '@learner/common/events';
import { silentLogger } from '@learner/common/logger';
import { createMetrics } from '@learner/common/metrics';
import { createTestDatabase, testSecret } from '@learner/common/testing';
import { createApp } from '../../src/app.js';
import { loadConfig, type ChatConfig } from '../../src/config.js';
import { createChatDependencies } from '../../src/dependencies.js';

export interface TestUser {
  id: string;
  email: string;
}

export function newUser(): TestUser {
  const id = `user-${randomUUID()}`;
  return { id, email: `${id}@example.com` };
}

/** The service's configuration as main.ts loads it, from these settings. */
export function testConfig(env: Env = {}): ChatConfig {
  return loadConfig({ DATABASE_URL: 'postgres://the-test-database', INTERNAL_TOKEN_SECRET: testSecret(), ...env });
}

/**
 * The chat app over a fresh database, with the real tutor calling the document service at
 * `documentServiceUrl`, real internal tokens, and the outbox relayed to an in-process bus so
 * tests see the events a consumer would. With `consumer`, the service's event consumer reads Kafka
 * as that consumer group, as main.ts wires it.
 */
export async function startChat(options: {
  secret?: string;
  documentServiceUrl: string;
  documentTimeoutMs?: number;
  consumer?: { brokers: string[]; groupId: string };
  /** More settings, e.g. the LLM endpoint or Bedrock model that writes the answers. */
  env?: Env;
}) {
  const secret = options.secret ?? testSecret();
  const db = await createTestDatabase({ database: 'chat', fromDir: import.meta.dirname });
  const gatewayTokens = createInternalTokens({ secret, issuer: 'gateway' });
  const config = testConfig({
    INTERNAL_TOKEN_SECRET: secret,
    DOCUMENT_SERVICE_URL: options.documentServiceUrl,
    DOCUMENT_TIMEOUT_MS: String(options.documentTimeoutMs ?? 2000),
    ...options.env,
  });
  const chat = createChatDependencies({ config, internalTokens: createInternalTokens({ secret, issuer: 'chat' }) });
  const metrics = createMetrics({ service: 'chat', collectDefaults: false });
  const consumer = options.consumer
    ? createKafkaEventConsumer({
        name: options.consumer.groupId,
        pool: db.pool,
        logger: silentLogger(),
        registry: metrics.registry,
        kafka: { brokers: options.consumer.brokers, clientId: options.consumer.groupId },
      })
    : undefined;
  const app = createApp({
    logger: silentLogger(),
    pool: db.pool,
    tutor: chat.tutor,
    documents: chat.documents,
    internalTokens: gatewayTokens,
    metrics,
    checks: {},
    optionalChecks: chat.optionalChecks,
    ...(consumer ? { events: consumer } : {}),
  });
  await consumer?.start();
  const bus = createInProcessBus();
  const events: EventEnvelope[] = [];
  bus.subscribe('chat.message.sent', (event) => {
    events.push(event);
  });
  const relay = createOutboxRelay({ pool: db.pool, bus });

  const as = (user: TestUser) => {
    const headers = gatewayTokens.headersFor(user);
    const agent = request(app);
    return {
      get: (path: string) => agent.get(path).set(headers),
      post: (path: string, body?: unknown) => {
        const r = agent.post(path).set(headers);
        return body === undefined ? r : r.send(body as object);
      },
      patch: (path: string, body?: unknown) => agent.patch(path).set(headers).send(body as object),
      delete: (path: string) => agent.delete(path).set(headers),
    };
  };

  return {
    app,
    db,
    metrics,
    as,
    /** Publishes the outbox and returns the chat.message.sent events of `user`. */
    async eventsOf(user: TestUser) {
      await relay.flush();
      return events.filter((e) => e.user_id === user.id);
    },
    async close() {
      await consumer?.stop();
      await relay.stop();
      await db.drop();
    },
  };
}
