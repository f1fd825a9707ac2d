import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * A Redis client that fails fast while Redis is down (no offline queue, one retry per command),
 * so callers can fall back instead of hanging; it keeps reconnecting in the background.
 */
export function createRedis(url: string, logger?: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1_000,
    commandTimeout: 1_000,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  let warned = false;
  redis.on('error', (err: Error) => {
    if (!warned) logger?.warn({ err: err.message }, 'redis unavailable');
    warned = true;
  });
  redis.on('ready', () => {
    if (warned) logger?.info('redis available again');
    warned = false;
  });
  return redis;
}

export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
}

/** A cache that never throws: a Redis error is a miss, so the caller computes the value. */
export function createRedisCache(redis: Redis, prefix: string): Cache {
  return {
    async get<T>(key: string) {
      try {
        const raw = await redis.get(`${prefix}${key}`);
        return raw === null ? undefined : (JSON.parse(raw) as T);
      } catch {
        return undefined;
      }
    },
    async set(key, value, ttlSeconds) {
      try {
        await redis.set(`${prefix}${key}`, JSON.stringify(value), 'EX', ttlSeconds);
      } catch {
        // A cache write failing only costs a recomputation later.
      }
    },
  };
}

export function createMemoryCache(now: () => number = Date.now): Cache {
  const entries = new Map<string, { value: unknown; expiresAt: number }>();
  return {
    async get<T>(key: string) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value as T;
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
    },
  };
}
