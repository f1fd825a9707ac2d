import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import { createAccessTokens, createInternalTokens, type AccessTokenService, type InternalTokens } from '@learner/common/auth';
import { createRedis } from '@learner/common/cache';
import type { Check } from '@learner/common/health';
import { closeServer, listen, type TrustProxy } from '@learner/common/http';
import { silentLogger } from '@learner/common/logger';
import { createMetrics } from '@learner/common/metrics';
import { requireInfra, testSecret, type TestDatabase } from '@learner/common/testing';
import { createApp } from '../src/app.js';
import { buildApiDocument } from '../src/docs/api-document.js';
import { INTERNAL_TOKEN_TTL_SECONDS, SERVICE_NAMES, type ServiceName } from '../src/proxy/proxy-routes.js';
import { createTrafficControls } from '../src/traffic/create-traffic-controls.js';
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

/**
 * The gateway as main.ts builds it, over a real database and (unless `redis` is null) real Redis
 * under a key prefix of its own, so test files running at once do not count each other's requests.
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
  const accessTokens = createAccessTokens({ secret: options.secrets.jwtSecret, expiresInSeconds: 24 * 3600 });
  const internalTokens = createInternalTokens({ secret: options.secrets.internalSecret, issuer: 'gateway', ttlSeconds: INTERNAL_TOKEN_TTL_SECONDS });
  const services = Object.fromEntries(
    SERVICE_NAMES.map((name) => [name, options.services?.[name] ?? CLOSED_URL]),
  ) as Record<ServiceName, string>;
  const app = createApp({
    logger,
    pool: options.db.pool,
    metrics: createMetrics({ service: 'gateway', collectDefaults: false }),
    accessTokens,
    internalTokens,
    traffic: createTrafficControls({
      redis: options.redis ?? undefined,
      prefix: options.prefix,
      limit: options.limit ?? 100,
      windowMs: 60_000,
      logger,
    }),
    services,
    checks: options.checks ?? {},
    refreshTokenDays: 30,
    requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
    maxFileSize: options.maxFileSize ?? 10_485_760,
    corsOrigins: ['http://localhost:5173'],
    trustProxy: options.trustProxy,
    apiDocument: buildApiDocument(),
    webApp: options.webApp,
  });
  return { app, accessTokens, internalTokens };
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
