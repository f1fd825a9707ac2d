/** Access tokens (by jti) logged out before they expired, kept in this process. */
export interface MemoryRevocationList {
  revoke(jti: string, expiresAtMs: number): void;
  has(jti: string): boolean;
}

const SWEEP_EVERY = 1_000;

export function createMemoryRevocationList(now: () => number = Date.now): MemoryRevocationList {
  const revoked = new Map<string, number>();
  let writes = 0;
  return {
    revoke(jti, expiresAtMs) {
      if (expiresAtMs <= now()) return;
      revoked.set(jti, expiresAtMs);
      // Entries that are never looked up again are dropped now and then, not on a timer.
      if (++writes % SWEEP_EVERY === 0) {
        for (const [key, expiresAt] of revoked) if (expiresAt <= now()) revoked.delete(key);
      }
    },
    has(jti) {
      const expiresAt = revoked.get(jti);
      if (expiresAt === undefined) return false;
      if (expiresAt > now()) return true;
      revoked.delete(jti);
      return false;
    },
  };
}
