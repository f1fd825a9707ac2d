import { resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { createAccessTokens, createInternalTokens } from '@learner/common/auth';
import type { Pool } from '@learner/common/db';
import type { Logger } from '@learner/common/logger';
import type { GatewayAppDeps } from './app.js';
import type { GatewayConfig } from './config.js';
import { INTERNAL_TOKEN_TTL_SECONDS, type ServiceName } from './proxy/proxy-routes.js';
import { createReadinessChecks } from './readiness-checks.js';
import { createTrafficControls } from './traffic/create-traffic-controls.js';

export type GatewayDependencies = Pick<
  GatewayAppDeps,
  | 'accessTokens'
  | 'internalTokens'
  | 'traffic'
  | 'services'
  | 'checks'
  | 'refreshTokenDays'
  | 'requestTimeoutMs'
  | 'maxFileSize'
  | 'corsOrigins'
  | 'trustProxy'
  | 'readyTimeoutMs'
  | 'webApp'
>;

/**
 * Builds the gateway from its configuration and the connections it is given (its database, Redis
 * when configured): the one place main.ts and the tests get it from. The event bus and the
 * outbox relay stay with main.ts, which starts them.
 */
export function createGatewayDependencies(options: { config: GatewayConfig; pool: Pool; redis?: Redis | undefined; logger: Logger }): GatewayDependencies {
  const { config, pool, redis, logger } = options;
  const services: Record<ServiceName, string> = {
    tts: config.TTS_SERVICE_URL,
    stt: config.STT_SERVICE_URL,
    chat: config.CHAT_SERVICE_URL,
    document: config.DOCUMENT_SERVICE_URL,
    quiz: config.QUIZ_SERVICE_URL,
  };
  return {
    accessTokens: createAccessTokens({ secret: config.JWT_SECRET, expiresInSeconds: config.JWT_EXPIRATION_HOURS * 3600 }),
    internalTokens: createInternalTokens({ secret: config.INTERNAL_TOKEN_SECRET, issuer: 'gateway', ttlSeconds: INTERNAL_TOKEN_TTL_SECONDS }),
    traffic: createTrafficControls({
      redis,
      prefix: config.REDIS_KEY_PREFIX,
      limit: config.RATE_LIMIT_REQUESTS,
      windowMs: config.RATE_LIMIT_WINDOW * 1000,
      logger,
    }),
    services,
    checks: createReadinessChecks({ pool, redis, services, timeoutMs: config.READY_TIMEOUT_MS }),
    refreshTokenDays: config.REFRESH_TOKEN_DAYS,
    requestTimeoutMs: config.REQUEST_TIMEOUT * 1000,
    maxFileSize: config.MAX_FILE_SIZE,
    corsOrigins: config.CORS_ORIGINS,
    trustProxy: config.TRUST_PROXY,
    readyTimeoutMs: config.READY_TIMEOUT_MS,
    webApp: {
      dir: config.WEB_APP_DIR ?? resolve(import.meta.dirname, '..', '..', '..', 'packages', 'web', 'dist'),
      mediaOrigins: [...(config.PUBLIC_BASE_URL ? [new URL(config.PUBLIC_BASE_URL).origin] : []), ...config.WEB_MEDIA_ORIGINS],
    },
  };
}
