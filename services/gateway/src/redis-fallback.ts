import type { Logger } from '@learner/common/logger';

/**
 * Runs a Redis operation and, when Redis fails, the in-memory stand-in instead, so the gateway keeps
 * answering through a Redis outage. Warns once per outage rather than once per request.
 */
export function createRedisFallback(logger: Logger, what: string) {
  let failing = false;
  return async function withFallback<T>(viaRedis: () => Promise<T>, inMemory: () => T | Promise<T>): Promise<T> {
    try {
      const result = await viaRedis();
      if (failing) {
        failing = false;
        logger.info({ what }, 'redis answers again; leaving the in-memory fallback');
      }
      return result;
    } catch (err) {
      if (!failing) {
        failing = true;
        logger.warn({ err: (err as Error).message, what }, 'redis failed; using the in-memory fallback');
      }
      return inMemory();
    }
  };
}
