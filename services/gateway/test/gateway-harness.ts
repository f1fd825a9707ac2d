import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type { AccessTokenService, InternalTokens } from '@learner/common/auth';
import { createRedis } from '@learner/common/cache';
import type { Env } from '@learner/common/config';
import type { Check } from '@learner/common/health';
import { closeServer, listen, type TrustProxy } from '@learner/common/http';
import { silentLogger } from '@learner/common/logger';
import { createMetrics } from '@learner/common/metrics';
import { requireInfra, testSecret, type TestDatabase } from '@learner/common/testing';
import { createApp } from '../src/app.js';
import { loadConfig, type GatewayConfig } from '../src/config.js';
import { createGatewayDependencies } from '../src/dependencies.js';
import { buildApiDocument } from '../src/docs/api-document.js';
import type { ServiceName } from '../src/proxy/proxy-routes.js';
import type { WebAppOptions } from '../src/web/web-routes.js';

/** A port nothing listens on: a service that is down. */
export const CLOSED_URL = 'http://127.0.0.1:9';

export interface GatewaySecrets {
  jwtSecret: string;
  internalSecret: string;
}

export function newSecrets(): GatewaySecrets {
  return { jwtSecret: testSecret(), internalSecret: testSecret() };
}

export interface TestGateway {
  app: Express;
  accessTokens: AccessTokenService;
  internalTokens: InternalTokens;
}

/** The gateway's configuration as main.ts loads it, from these settings. */
export function testConfig(env: Env = {}): GatewayConfig {
  return loadConfig({ DATABASE_URL: 'postgres://the-test-database', JWT_SECRET: testSecret(), INTERNAL_TOKEN_SECRET: testSecret(), ...env });
}

/**
 * The gateway as main.ts builds it (createGatewayDependencies, then createApp), over a real
 * database and (unless `redis` is null) real Redis under a key prefix of its own, so test files
 * running at once do not count each other's requests. Services not named are down; /ready checks
 * only `checks`, and `/` serves the web app only when `webApp` is given.
 */
export function buildGateway(options: {
  db: TestDatabase;
  secrets: GatewaySecrets;
  redis: Redis | null;
  prefix: string;
  services?: Partial<Record<ServiceName, string>>;
  checks?: Record<string, Check>;
  limit?: number;
  requestTimeoutMs?: number;
  maxFileSize?: number;
  trustProxy?: TrustProxy;
  webApp?: WebAppOptions;
}): TestGateway {
  const logger = silentLogger();
  const services = options.services ?? {};
  const config = testConfig({
    JWT_SECRET: options.secrets.jwtSecret,
    INTERNAL_TOKEN_SECRET: options.secrets.internalSecret,
    REDIS_KEY_PREFIX: options.prefix,
    RATE_LIMIT_REQUESTS: String(options.limit ?? 100),
    REQUEST_TIMEOUT: String((options.requestTimeoutMs ?? 5_000) / 1000),
    MAX_FILE_SIZE: String(options.maxFileSize ?? 10_485_760),
    CORS_ORIGINS: 'http://localhost:5173',
    ...(options.trustProxy === undefined ? {} : { TRUST_PROXY: options.trustProxy === false ? 'none' : String(options.trustProxy) }),
    TTS_SERVICE_URL: services.tts ?? CLOSED_URL,
    STT_SERVICE_URL: services.stt ?? CLOSED_URL,
    CHAT_SERVICE_URL: services.chat ?? CLOSED_URL,
    DOCUMENT_SERVICE_URL: services.document ?? CLOSED_URL,
    QUIZ_SERVICE_URL: services.quiz ?? CLOSED_URL,
  });
  const gateway = createGatewayDependencies({ config, pool: options.db.pool, redis: options.redis ?? undefined, logger });
  const app = createApp({
    logger,
    pool: options.db.pool,
    metrics: createMetrics({ service: 'gateway', collectDefaults: false }),
    ...gateway,
    checks: options.checks ?? {},
    apiDocument: buildApiDocument(),
    webApp: options.webApp,
  });
  return { app, accessTokens: gateway.accessTokens, internalTokens: gateway.internalTokens };
}

/** A Redis client that is connected already, so the first requests do not take the in-memory fallback. */
export async function testRedis(): Promise<Redis> {
  const redis = createRedis(requireInfra('REDIS_URL'));
  if (redis.status !== 'ready') await once(redis, 'ready');
  return redis;
}

export function uniquePrefix(): string {
  return `gw-test:${randomUUID()}:`;
}

export interface Running {
  url: string;
  close(): Promise<void>;
}

export async function serve(app: Express): Promise<Running> {
  const server: Server = await listen(app, 0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

let ipCounter = 0;
/** A client address of its own (the gateway trusts X-Forwarded-For from loopback), so per-IP limits do not collide. */
export function freshIp(): string {
  ipCounter += 1;
  return `10.${(process.pid >> 8) & 255}.${ipCounter >> 8}.${ipCounter & 255}`;
}

export function uniqueEmail(): string {
  return `user-${randomUUID()}@example.com`;
}
