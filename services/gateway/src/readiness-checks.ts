import type { Redis } from 'ioredis';
import { checkDatabase, type Queryable } from '@learner/common/db';
import { serviceHealthCheck, type Check } from '@learner/common/health';
import { SERVICE_NAMES, type ServiceName } from './proxy/proxy-routes.js';

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
  // With several replicas, one that answers is enough: the proxy skips the others.
  for (const name of SERVICE_NAMES) checks[name] = serviceHealthCheck(deps.services[name], deps.timeoutMs);
  return checks;
}
