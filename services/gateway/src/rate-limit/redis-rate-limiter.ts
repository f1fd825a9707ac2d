import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '@learner/common/logger';
import { createRedisFallback } from '../redis-fallback.js';
import {
  createMemoryRateLimiter,
  rateLimitResult,
  type RateLimiter,
  type RateLimitOptions,
} from './rate-limiter.js';

/*
 * One atomic step per request, so several gateway processes sharing Redis count exactly: drop entries
 * older than the window, count, add this request only when under the limit. Redis's own clock is
 * used so that gateway hosts with skewed clocks agree on the window.
 */
const SLIDING_WINDOW_SCRIPT = `
local key = KEYS[1]
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
local allowed = 0
if count < limit then
  redis.call('ZADD', key, now, ARGV[3])
  count = count + 1
  allowed = 1
end
redis.call('PEXPIRE', key, window)
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local oldestScore = now
if oldest[2] then oldestScore = tonumber(oldest[2]) end
return {allowed, count, oldestScore, now}
`;

const COMMAND = 'gatewaySlidingWindow';

type SlidingWindowCommand = (key: string, windowMs: number, limit: number, member: string) => Promise<number[]>;

/**
 * The sliding-window log in a Redis sorted set per key. While Redis fails, requests are counted by
 * an in-memory limiter instead, so the gateway keeps answering.
 */
export function createRedisRateLimiter(
  options: RateLimitOptions & { redis: Redis; prefix: string; logger: Logger },
): RateLimiter {
  // defineCommand sends EVALSHA and falls back to EVAL when Redis answers NOSCRIPT.
  if (!(COMMAND in options.redis)) {
    options.redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: SLIDING_WINDOW_SCRIPT });
  }
  const command = (options.redis as unknown as Record<typeof COMMAND, SlidingWindowCommand>)[COMMAND].bind(
    options.redis,
  );
  const memory = createMemoryRateLimiter(options);
  const withFallback = createRedisFallback(options.logger, 'rate limiter');
  // Members only have to be unique per key; a process id plus a counter is cheaper than a UUID each.
  const processTag = randomUUID();
  let sequence = 0;
  return {
    hit(key) {
      return withFallback(
        async () => {
          const member = `${processTag}:${++sequence}`;
          const [allowed = 0, count = 0, oldestMs = 0, nowMs = 0] = await command(
            `${options.prefix}${key}`,
            options.windowMs,
            options.limit,
            member,
          );
          return rateLimitResult(options, { allowed: allowed === 1, count, oldestMs, nowMs });
        },
        () => memory.hit(key),
      );
    },
  };
}
