import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '@learner/common/logger';
import { createMemoryRevocationList } from '../auth/revocation-list.js';
import { createMemoryRateLimiter, rateLimitResult, type RateLimitOptions } from '../rate-limit/rate-limiter.js';
import { createRedisFallback } from '../redis-fallback.js';
import type { TrafficControls } from './traffic-controls.js';

/*
 * One atomic step per request, so several gateway processes sharing Redis count exactly: drop
 * entries older than the window, count, add this request only when under the limit. Redis's own
 * clock is used so that gateway hosts with skewed clocks agree on the window. The revocation
 * lookup rides along (KEYS[2]) to save a second round trip.
 */
const ADMIT_SCRIPT = `
local key = KEYS[1]
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local revoked = 0
if ARGV[4] == '1' then revoked = redis.call('EXISTS', KEYS[2]) end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
-- A revoked token is not its user's any more (an erased account's key must not come back): the
-- caller counts the request under the client's address instead.
if revoked == 1 then return {1, 0, now, now, 1} end
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
return {allowed, count, oldestScore, now, revoked}
`;

const COMMAND = 'gatewayAdmit';

type AdmitCommand = (
  limitKey: string,
  revokedKey: string,
  windowMs: number,
  limit: number,
  member: string,
  checkRevoked: '0' | '1',
) => Promise<number[]>;

/**
 * The sliding-window log in a Redis sorted set per identity, and revoked tokens as keys that expire
 * with the token. While Redis fails, an in-memory stand-in answers instead, so the gateway keeps
 * working: this process limits on its own and refuses the tokens logged out through it (each
 * revocation is also kept here until the token expires). Tokens revoked while Redis failed are
 * written to it once it answers again, so every process refuses them from then on.
 */
export function createRedisTrafficControls(
  options: RateLimitOptions & { redis: Redis; prefix: string; logger: Logger },
): TrafficControls {
  const { redis, prefix } = options;
  // defineCommand sends EVALSHA and falls back to EVAL when Redis answers NOSCRIPT.
  if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 2, lua: ADMIT_SCRIPT });
  const admit = (redis as unknown as Record<typeof COMMAND, AdmitCommand>)[COMMAND].bind(redis);
  const memoryLimiter = createMemoryRateLimiter(options);
  const memoryRevocations = createMemoryRevocationList();
  const withFallback = createRedisFallback(options.logger, 'rate limit and token revocation');
  const revokedKey = (jti: string): string => `${prefix}revoked:${jti}`;
  // Revocations Redis did not take (by jti, with their expiry), written once it answers again.
  const unsent = new Map<string, number>();
  let resending = false;
  const resendRevocations = (): void => {
    if (unsent.size === 0 || resending || redis.status !== 'ready') return;
    resending = true;
    const batch = [...unsent];
    const write = redis.multi();
    for (const [jti, expiresAtMs] of batch) {
      const ttlMs = Math.ceil(expiresAtMs - Date.now());
      if (ttlMs > 0) write.set(revokedKey(jti), '1', 'PX', ttlMs);
    }
    write
      .exec()
      .then((results) => {
        if (results?.some(([err]) => err)) return;
        for (const [jti, expiresAtMs] of batch) if (unsent.get(jti) === expiresAtMs) unsent.delete(jti);
        options.logger.info({ count: batch.length }, 'tokens revoked while redis failed are now in redis');
      })
      .catch(() => undefined)
      .finally(() => {
        resending = false;
      });
  };
  redis.on('ready', resendRevocations);
  // Members only have to be unique per key; a process tag plus a counter is cheaper than a UUID each.
  const processTag = randomUUID();
  let sequence = 0;

  /*
   * Requests that arrive in the same turn of the event loop send their checks in one write: the
   * socket is corked at the first and uncorked once that turn's I/O is handled. One system call
   * instead of one per request, for a wait of well under a millisecond.
   */
  let corked = false;
  const uncork = (stream: Redis['stream']): void => {
    corked = false;
    stream.uncork();
  };
  const batchWrites = (): void => {
    const stream = redis.stream;
    if (corked || redis.status !== 'ready') return;
    corked = true;
    stream.cork();
    setImmediate(uncork, stream);
  };

  return {
    async admit(key, jti) {
      const revokedHere = jti !== undefined && memoryRevocations.has(jti);
      batchWrites();
      return withFallback(
        async () => {
          const [allowed = 0, count = 0, oldestMs = 0, nowMs = 0, revoked = 0] = await admit(
            `${prefix}${key}`,
            // Without a token the key is never read; any name in the same prefix keeps the script's keys declared.
            revokedKey(jti ?? '-'),
            options.windowMs,
            options.limit,
            `${processTag}:${++sequence}`,
            jti === undefined ? '0' : '1',
          );
          const limit = rateLimitResult(options, { allowed: allowed === 1, count, oldestMs, nowMs });
          resendRevocations();
          return { limit, revoked: revokedHere || revoked === 1 };
        },
        async () => ({ limit: await memoryLimiter.hit(key), revoked: revokedHere }),
      );
    },
    async forget(key) {
      memoryLimiter.forget(key);
      await withFallback(
        async () => {
          await redis.del(`${prefix}${key}`);
        },
        () => undefined,
      );
    },
    async revoke(jti, expiresAtMs) {
      const ttlMs = Math.ceil(expiresAtMs - Date.now());
      if (ttlMs <= 0) return;
      memoryRevocations.revoke(jti, expiresAtMs);
      await withFallback(
        async () => {
          await redis.set(revokedKey(jti), '1', 'PX', ttlMs);
        },
        () => {
          unsent.set(jti, expiresAtMs);
        },
      );
    },
  };
}
