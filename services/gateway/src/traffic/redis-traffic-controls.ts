import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '@learner/common/logger';
import { createMemoryRevocationList } from '../auth/revocation-list.js';
import { createMemoryRateLimiter, rateLimitResult, type RateLimitOptions } from '../rate-limit/rate-limiter.js';
import { createRedisFallback } from '../redis-fallback.js';
import type { TrafficControls } from './traffic-controls.js';

/*
 * One atomic step for every request that arrived in the same turn of the event loop (a batch), so
 * several gateway processes sharing Redis count exactly: for each request, entries of its key older
 * than the window are dropped, the rest counted, and the request added only when under the limit.
 * Redis's own clock is used so that gateway hosts with skewed clocks agree on the window. The
 * revocation lookup rides along, so a request costs no round trip of its own.
 *
 * The requests of a batch share one moment, so a key is trimmed, counted and read once per batch,
 * and its new entries go in with one ZADD and one PEXPIRE: a busy user's requests cost Redis little
 * more than one request does.
 *
 * KEYS: per request its limit key, then its revoked-token key. ARGV: the window, the limit, then per
 * request its member and whether to look its token up ('1') or not ('0'). Answers five numbers per
 * request, in order: allowed, count, oldest entry, now, revoked.
 */
const ADMIT_SCRIPT = `
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local out = {}
local states = {}
local touched = {}
local revokedTokens = {}
for i = 1, #KEYS / 2 do
  local revoked = 0
  if ARGV[2 + 2 * i] == '1' then
    local tokenKey = KEYS[2 * i]
    revoked = revokedTokens[tokenKey]
    if revoked == nil then
      revoked = redis.call('EXISTS', tokenKey)
      revokedTokens[tokenKey] = revoked
    end
  end
  local n = #out
  if revoked == 1 then
    -- A revoked token is not its user's any more (an erased account's key must not come back):
    -- the caller counts the request under the client's address instead.
    out[n + 1] = 1; out[n + 2] = 0; out[n + 3] = now; out[n + 4] = now; out[n + 5] = 1
  else
    local key = KEYS[2 * i - 1]
    local state = states[key]
    if state == nil then
      redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
      local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
      state = { count = redis.call('ZCARD', key), oldest = now, added = {} }
      if oldest[2] then state.oldest = tonumber(oldest[2]) end
      states[key] = state
      touched[#touched + 1] = key
    end
    local allowed = 0
    if state.count < limit then
      local added = state.added
      added[#added + 1] = now
      added[#added + 1] = ARGV[1 + 2 * i]
      state.count = state.count + 1
      if now < state.oldest then state.oldest = now end
      allowed = 1
    end
    out[n + 1] = allowed; out[n + 2] = state.count; out[n + 3] = state.oldest; out[n + 4] = now; out[n + 5] = 0
  end
end
for _, key in ipairs(touched) do
  local added = states[key].added
  if #added > 0 then redis.call('ZADD', key, unpack(added)) end
  redis.call('PEXPIRE', key, window)
end
return out
`;

const COMMAND = 'gatewayAdmitBatch';
/** Requests asked in one script call at most; more in one turn of the event loop go in further calls. */
const MAX_BATCH = 256;

type AdmitBatchCommand = (numberOfKeys: number, ...keysThenArgs: Array<string | number>) => Promise<number[]>;

interface PendingAdmission {
  key: string;
  revokedKey: string;
  member: string;
  checkRevoked: '0' | '1';
  /** Called with this request's five numbers. */
  resolve(answer: number[]): void;
  reject(err: unknown): void;
}

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
  // defineCommand sends EVALSHA and falls back to EVAL when Redis answers NOSCRIPT; without
  // numberOfKeys, the number of keys is the first argument of each call.
  if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { lua: ADMIT_SCRIPT });
  const admitBatch = (redis as unknown as Record<typeof COMMAND, AdmitBatchCommand>)[COMMAND].bind(redis);
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
   * Requests that arrive in the same turn of the event loop are checked in one script call, sent
   * once that turn's I/O is handled: one command for Redis to run and for this process to write and
   * parse instead of one per request, for a wait of well under a millisecond.
   */
  let pending: PendingAdmission[] = [];
  const sendBatch = (batch: PendingAdmission[]): void => {
    const keysThenArgs: Array<string | number> = [];
    for (const request of batch) keysThenArgs.push(request.key, request.revokedKey);
    keysThenArgs.push(options.windowMs, options.limit);
    for (const request of batch) keysThenArgs.push(request.member, request.checkRevoked);
    admitBatch(batch.length * 2, ...keysThenArgs).then(
      (answer) => {
        batch.forEach((request, i) => request.resolve(answer.slice(i * 5, i * 5 + 5)));
      },
      (err: unknown) => {
        for (const request of batch) request.reject(err);
      },
    );
  };
  const flush = (): void => {
    const batch = pending;
    pending = [];
    for (let start = 0; start < batch.length; start += MAX_BATCH) sendBatch(batch.slice(start, start + MAX_BATCH));
  };
  const ask = (key: string, jti: string | undefined): Promise<number[]> =>
    new Promise((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({
        key: `${prefix}${key}`,
        // Without a token the key is never read; any name in the same prefix keeps the script's keys declared.
        revokedKey: revokedKey(jti ?? '-'),
        member: `${processTag}:${++sequence}`,
        checkRevoked: jti === undefined ? '0' : '1',
        resolve,
        reject,
      });
    });

  return {
    // Every request passes here: no async wrappers around the promises already made, each of
    // which would cost the request a promise and turns of the microtask queue.
    admit(key, jti) {
      const revokedHere = jti !== undefined && memoryRevocations.has(jti);
      return withFallback(
        () =>
          ask(key, jti).then(([allowed = 0, count = 0, oldestMs = 0, nowMs = 0, revoked = 0]) => {
            const limit = rateLimitResult(options, { allowed: allowed === 1, count, oldestMs, nowMs });
            resendRevocations();
            return { limit, revoked: revokedHere || revoked === 1 };
          }),
        () => memoryLimiter.hit(key).then((limit) => ({ limit, revoked: revokedHere })),
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
