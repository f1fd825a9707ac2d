import { createMemoryRevocationList } from '../auth/revocation-list.js';
import { createMemoryRateLimiter, rateLimitResult, type RateLimitOptions, type RateLimitResult } from '../rate-limit/rate-limiter.js';

export interface Admission {
  limit: RateLimitResult;
  /** Whether the access token named in the request was logged out. */
  revoked: boolean;
}

/**
 * The per-request checks that must agree across gateway processes: the sliding-window rate limit
 * and the list of revoked access tokens. Asked together, so a request costs one Redis round trip.
 */
export interface TrafficControls {
  /** Counts one request for `key` when under the limit; with a token id, also says whether it was revoked. */
  admit(key: string, jti?: string): Promise<Admission>;
  /** Revokes an access token until it expires. */
  revoke(jti: string, expiresAtMs: number): Promise<void>;
  /** Drops what is counted for `key` (an erased account's limit). */
  forget(key: string): Promise<void>;
}

/** The embedded mode's controls, exact for one process (the seed's development limiter). */
export function createMemoryTrafficControls(limits: RateLimitOptions, now: () => number = Date.now): TrafficControls {
  const limiter = createMemoryRateLimiter(limits, now);
  const revocations = createMemoryRevocationList(now);
  return {
    async admit(key, jti) {
      if (jti !== undefined && revocations.has(jti)) {
        // As with Redis: a revoked token's request is not counted for its user.
        const nowMs = now();
        return { limit: rateLimitResult(limits, { allowed: true, count: 0, oldestMs: nowMs, nowMs }), revoked: true };
      }
      return { limit: await limiter.hit(key), revoked: false };
    },
    async forget(key) {
      limiter.forget(key);
    },
    async revoke(jti, expiresAtMs) {
      revocations.revoke(jti, expiresAtMs);
    },
  };
}
