import { describe, expect, it } from 'vitest';
import { createMemoryRateLimiter } from './rate-limiter.js';

describe('the in-memory sliding-window limiter', () => {
  it('lets the limit through, refuses the next, and frees a slot when the oldest request leaves the window', async () => {
    let now = 1_000_000;
    const limiter = createMemoryRateLimiter({ limit: 3, windowMs: 60_000 }, () => now);
    const first = await limiter.hit('u');
    expect(first).toMatchObject({ allowed: true, remaining: 2, resetAtMs: 1_060_000 });
    now += 10_000;
    await limiter.hit('u');
    await limiter.hit('u');
    const refused = await limiter.hit('u');
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 50 });

    now = 1_060_001;
    const again = await limiter.hit('u');
    expect(again).toMatchObject({ allowed: true, remaining: 0, resetAtMs: 1_070_000 });
    expect((await limiter.hit('u')).allowed).toBe(false);
  });

  it('counts each key on its own', async () => {
    const limiter = createMemoryRateLimiter({ limit: 1, windowMs: 60_000 });
    expect((await limiter.hit('a')).allowed).toBe(true);
    expect((await limiter.hit('b')).allowed).toBe(true);
    expect((await limiter.hit('a')).allowed).toBe(false);
  });
});
