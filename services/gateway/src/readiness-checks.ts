import type { Redis } from 'ioredis';
import { checkDatabase, type Queryable } from '@learner/common/db';
import type { Check } from '@learner/common/health';
import { SERVICE_NAMES, type ServiceName } from './proxy/proxy-routes.js';
import { replicaUrls } from './proxy/service-proxy.js';

/** The gateway is ready when its database, Redis (when configured) and every service answer. */
export function createReadinessChecks(deps: {
  pool: Queryable;
  redis?: Redis | undefined;
  services: Record<ServiceName, string>;
  timeoutMs: number;
}): Record<string, Check> {
  const checks: Record<string, Check> = { database: () => checkDatabase(deps.pool) };
  const { redis } = deps;
  if (redis) checks.redis = () => redis.ping();
  for (const name of SERVICE_NAMES) {
    // With several replicas, one that answers is enough: the proxy skips the others.
    checks[name] = () =>
      Promise.any(
        replicaUrls(deps.services[name]).map(async (url) => {
          const res = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(deps.timeoutMs) });
          await res.body?.cancel();
          if (!res.ok) throw new Error(`health answered ${res.status}`);
        }),
      ).catch((err: unknown) => {
        throw err instanceof AggregateError ? (err.errors[0] as Error) : err;
      });
  }
  return checks;
}
