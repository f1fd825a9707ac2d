import type { Redis } from 'ioredis';
import type { Logger } from '@learner/common/logger';
import { createMemoryRevocationList, createRedisRevocationList, type RevocationList } from './auth/revocation-list.js';
import { createMemoryRateLimiter, type RateLimiter } from './rate-limit/rate-limiter.js';
import { createRedisRateLimiter } from './rate-limit/redis-rate-limiter.js';

/**
 * The rate limiter and the token revocation list: in Redis, shared by every gateway process, or in
 * this process when no Redis is configured (embedded mode).
 */
export function createTrafficControls(options: {
  redis?: Redis | undefined;
  prefix: string;
  limit: number;
  windowMs: number;
  logger: Logger;
}): { rateLimiter: RateLimiter; revocations: RevocationList } {
  const { redis, prefix, logger } = options;
  const limits = { limit: options.limit, windowMs: options.windowMs };
  if (!redis) return { rateLimiter: createMemoryRateLimiter(limits), revocations: createMemoryRevocationList() };
  return {
    rateLimiter: createRedisRateLimiter({ ...limits, redis, prefix, logger }),
    revocations: createRedisRevocationList({ redis, prefix, logger }),
  };
}
