export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  /** Requests still allowed in the current window after this one. */
  remaining: number;
  /** When the oldest counted request leaves the window (epoch ms). */
  resetAtMs: number;
  /** Whole seconds until a request would be allowed again; 0 when this one was. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Counts one request for `key` when under the limit; answers whether it may pass. */
  hit(key: string): Promise<RateLimitResult>;
  /** Drops the key's log. */
  forget(key: string): void;
}

export interface RateLimitOptions {
  limit: number;
  windowMs: number;
}

/** Shapes the outcome from the count after this request and the oldest counted timestamp. */
export function rateLimitResult(
  options: RateLimitOptions,
  state: { allowed: boolean; count: number; oldestMs: number; nowMs: number },
): RateLimitResult {
  const resetAtMs = state.oldestMs + options.windowMs;
  return {
    allowed: state.allowed,
    limit: options.limit,
    remaining: Math.max(0, options.limit - state.count),
    resetAtMs,
    retryAfterSeconds: state.allowed ? 0 : Math.max(1, Math.ceil((resetAtMs - state.nowMs) / 1000)),
  };
}

const SWEEP_EVERY = 1_000;

/**
 * The seed's development limiter (§7.3): a sliding window log of timestamps per key, kept in this
 * process. Exact for one process; the Redis limiter is the one that is exact across several.
 */
export function createMemoryRateLimiter(options: RateLimitOptions, now: () => number = Date.now): RateLimiter {
  const log = new Map<string, number[]>();
  let hits = 0;
  const sweep = (nowMs: number): void => {
    for (const [key, stamps] of log) {
      if ((stamps.at(-1) ?? 0) <= nowMs - options.windowMs) log.delete(key);
    }
  };
  return {
    async hit(key) {
      const nowMs = now();
      if (++hits % SWEEP_EVERY === 0) sweep(nowMs);
      const windowStart = nowMs - options.windowMs;
      const stamps = (log.get(key) ?? []).filter((t) => t > windowStart);
      const allowed = stamps.length < options.limit;
      if (allowed) stamps.push(nowMs);
      log.set(key, stamps);
      return rateLimitResult(options, { allowed, count: stamps.length, oldestMs: stamps[0] ?? nowMs, nowMs });
    },
    forget(key) {
      log.delete(key);
    },
  };
}
