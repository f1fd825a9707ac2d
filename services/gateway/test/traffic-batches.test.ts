import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@learner/common/logger';
import { createRedisTrafficControls } from '../src/traffic/redis-traffic-controls.js';
import { testRedis, uniquePrefix } from './gateway-harness.js';

let redis: Redis;

beforeAll(async () => {
  redis = await testRedis();
});

afterAll(() => {
  redis?.disconnect();
});

function controls(limit: number) {
  return createRedisTrafficControls({ redis, prefix: uniquePrefix(), limit, windowMs: 60_000, logger: silentLogger() });
}

// Requests arriving in one turn of the event loop go to Redis together; each must still be counted
// as if it had come alone.
describe('requests checked together in Redis', () => {
  it('counts each of them: one user sending 15 at once against a limit of 10 gets 10 through', async () => {
    const traffic = controls(10);
    const answers = await Promise.all(Array.from({ length: 15 }, () => traffic.admit('rl:user:many')));
    expect(answers.filter((a) => a.limit.allowed)).toHaveLength(10);
    expect(answers.map((a) => a.limit.remaining)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0, 0, 0, 0]);
    expect(answers.slice(10).every((a) => a.limit.retryAfterSeconds >= 1)).toBe(true);
    // The window goes on: a later request is refused too.
    expect((await traffic.admit('rl:user:many')).limit.allowed).toBe(false);
  });

  it('keeps users apart and refuses a revoked token beside a valid one, without counting it for its user', async () => {
    const traffic = controls(2);
    await traffic.revoke('dead-token', Date.now() + 60_000);
    const [first, revoked, other, second, third] = await Promise.all([
      traffic.admit('rl:user:a', 'live-token'),
      traffic.admit('rl:user:a', 'dead-token'),
      traffic.admit('rl:user:b', 'other-token'),
      traffic.admit('rl:user:a', 'live-token'),
      traffic.admit('rl:user:a', 'live-token'),
    ]);
    expect(revoked!.revoked).toBe(true);
    expect([first, other, second, third].map((a) => a!.revoked)).toEqual([false, false, false, false]);
    expect([first, second, third].map((a) => a!.limit.allowed)).toEqual([true, true, false]);
    expect(other!.limit).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('sends more requests than one script call takes in several calls, all counted', async () => {
    const traffic = controls(1_000);
    const answers = await Promise.all(Array.from({ length: 600 }, () => traffic.admit('rl:user:crowd')));
    expect(answers.every((a) => a.limit.allowed)).toBe(true);
    expect(Math.min(...answers.map((a) => a.limit.remaining))).toBe(400);
    expect(new Set(answers.map((a) => a.limit.remaining)).size).toBe(600);
  });
});
