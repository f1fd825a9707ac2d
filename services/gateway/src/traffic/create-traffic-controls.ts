import type { Redis } from 'ioredis';
import type { Logger } from '@learner/common/logger';
import type { RateLimitOptions } from '../rate-limit/rate-limiter.js';
import { createRedisTrafficControls } from './redis-traffic-controls.js';
import { createMemoryTrafficControls, type TrafficControls } from './traffic-controls.js';

/** In Redis, shared by every gateway process, or in this process when no Redis is configured. */
export function createTrafficControls(
  options: RateLimitOptions & { redis?: Redis | undefined; prefix: string; logger: Logger },
): TrafficControls {
  const { redis, ...rest } = options;
  const limits = { limit: options.limit, windowMs: options.windowMs };
  return redis ? createRedisTrafficControls({ ...rest, redis }) : createMemoryTrafficControls(limits);
}
