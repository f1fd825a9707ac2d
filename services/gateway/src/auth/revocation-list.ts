import type { Redis } from 'ioredis';
import type { Logger } from '@learner/common/logger';
import { createRedisFallback } from '../redis-fallback.js';

/** Access tokens (by jti) that were logged out before they expired. */
export interface RevocationList {
  revoke(jti: string, expiresAtMs: number): Promise<void>;
  isRevoked(jti: string): Promise<boolean>;
}

const SWEEP_EVERY = 1_000;

export function createMemoryRevocationList(now: () => number = Date.now): RevocationList & {
  has(jti: string): boolean;
} {
  const revoked = new Map<string, number>();
  let writes = 0;
  const has = (jti: string): boolean => {
    const expiresAt = revoked.get(jti);
    if (expiresAt === undefined) return false;
    if (expiresAt > now()) return true;
    revoked.delete(jti);
    return false;
  };
  return {
    has,
    async revoke(jti, expiresAtMs) {
      if (expiresAtMs <= now()) return;
      revoked.set(jti, expiresAtMs);
      // Entries that are never looked up again are dropped now and then, not on a timer.
      if (++writes % SWEEP_EVERY === 0) {
        for (const [key, expiresAt] of revoked) if (expiresAt <= now()) revoked.delete(key);
      }
    },
    async isRevoked(jti) {
      return has(jti);
    },
  };
}

/**
 * Redis keys with the token's remaining lifetime as TTL, shared by every gateway process. While Redis
 * fails, revocations are kept in memory, and that memory is consulted before Redis afterwards too.
 */
export function createRedisRevocationList(options: {
  redis: Redis;
  prefix: string;
  logger: Logger;
  now?: () => number;
}): RevocationList {
  const now = options.now ?? Date.now;
  const memory = createMemoryRevocationList(now);
  const withFallback = createRedisFallback(options.logger, 'token revocation');
  const key = (jti: string): string => `${options.prefix}revoked:${jti}`;
  return {
    async revoke(jti, expiresAtMs) {
      const ttlMs = Math.ceil(expiresAtMs - now());
      if (ttlMs <= 0) return;
      await withFallback(
        async () => {
          await options.redis.set(key(jti), '1', 'PX', ttlMs);
        },
        () => memory.revoke(jti, expiresAtMs),
      );
    },
    async isRevoked(jti) {
      if (memory.has(jti)) return true;
      return withFallback(
        async () => (await options.redis.exists(key(jti))) === 1,
        () => false,
      );
    },
  };
}
