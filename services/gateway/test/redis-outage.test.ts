import { once } from 'node:events';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '@learner/common/cache';
import { createTestDatabase, startDedicatedRedis, waitFor, type DedicatedServer, type TestDatabase } from '@learner/common/testing';
import { SERVICE_NAMES, type ServiceName } from '../src/proxy/proxy-routes.js';
import { createReadinessChecks } from '../src/readiness-checks.js';
import { buildGateway, CLOSED_URL, freshIp, newSecrets, serve, uniqueEmail, uniquePrefix, type Running } from './gateway-harness.js';

/*
 * Redis of its own, stopped and started again while clients keep calling two gateway processes
 * that share it (as PROCESSES or replicas do). The shared test Redis stays up for the other files.
 */

const LIMIT = 40;
let db: TestDatabase;
let redisServer: DedicatedServer;
const clients: Redis[] = [];
let gateways: Running[] = [];

beforeAll(async () => {
  db = await createTestDatabase({ database: 'gateway', fromDir: import.meta.dirname });
  redisServer = await startDedicatedRedis();
  const secrets = newSecrets();
  const prefix = uniquePrefix();
  for (let i = 0; i < 2; i++) {
    const redis = createRedis(redisServer.url);
    if (redis.status !== 'ready') await once(redis, 'ready');
    clients.push(redis);
  }
  const services = Object.fromEntries(SERVICE_NAMES.map((name) => [name, CLOSED_URL])) as Record<ServiceName, string>;
  gateways = await Promise.all(
    clients.map((redis) => {
      // /ready as main.ts checks it, the services (none runs here) left out.
      const { database, redis: redisCheck } = createReadinessChecks({ pool: db.pool, redis, services, timeoutMs: 1_000 });
      return serve(buildGateway({ db, secrets, redis, prefix, limit: LIMIT, checks: { database: database!, redis: redisCheck! } }).app);
    }),
  );
});

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.close()));
  for (const redis of clients) redis.disconnect();
  await redisServer?.close();
  await db?.drop();
});

/** One call as a client makes it; a call that does not answer within 5 s counts as status 0. */
async function call(gateway: Running, path: string, token: string, method = 'GET'): Promise<number> {
  try {
    const res = await fetch(`${gateway.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(5_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

async function register(gateway: Running): Promise<string> {
  const res = await fetch(`${gateway.url}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': freshIp() },
    body: JSON.stringify({ email: uniqueEmail(), password: 'long enough pass' }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { data: { token: string } }).data.token;
}

/** Statuses of `count` calls to /auth/me by one user, spread over the given gateways in turn. */
async function burst(token: string, count: number, over: Running[]): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push(await call(over[i % over.length]!, '/api/v1/auth/me', token));
  return statuses;
}

const count = (statuses: number[], status: number): number => statuses.filter((s) => s === status).length;

/** The gateway's /ready: its status and the dependencies it names as down. */
async function readiness(gateway: Running): Promise<{ status: number; down: string[] }> {
  const res = await fetch(`${gateway.url}/ready`, { signal: AbortSignal.timeout(5_000) });
  const body = (await res.json()) as { details?: { down?: string[] } };
  return { status: res.status, down: body.details?.down ?? [] };
}

describe('Redis stopped and started again under load', () => {
  it('keeps answering, limits and revokes in memory meanwhile, and goes back to Redis unaided', async () => {
    const [a, b] = gateways as [Running, Running];
    const loadTokens = await Promise.all(Array.from({ length: 6 }, (_, i) => register(gateways[i % 2]!)));
    const loggedOutBefore = await register(a);
    const loggedOutDuring = await register(a);
    const limitedDuring = await register(a);
    const limitedAfter = await register(b);

    // Logged out while Redis answers: both processes refuse the token.
    expect(await call(a, '/api/v1/auth/logout', loggedOutBefore, 'POST')).toBe(200);
    expect(await call(b, '/api/v1/auth/me', loggedOutBefore)).toBe(401);

    type Phase = 'before' | 'outage' | 'after';
    let phase = 'before' as Phase;
    const seen: Record<Phase, number[]> = { before: [], outage: [], after: [] };
    let loading = true;
    const load = Promise.all(
      loadTokens.map(async (token, i) => {
        for (let n = 0; loading; n++) {
          const at = phase;
          seen[at].push(await call(gateways[(i + n) % 2]!, '/api/v1/auth/verify', token));
          await new Promise((done) => setTimeout(done, 50));
        }
      }),
    );
    await waitFor('load before the outage', async () => (seen.before.length >= 30 ? true : undefined));

    expect(await readiness(b)).toEqual({ status: 200, down: [] });
    await redisServer.stop();
    phase = 'outage';
    // Out of rotation with the reason, while it keeps answering the calls that reach it.
    expect(await readiness(b)).toEqual({ status: 503, down: ['redis'] });
    // The process the logout went through still refuses that token; a logout now is refused too.
    expect(await call(a, '/api/v1/auth/me', loggedOutBefore)).toBe(401);
    expect(await call(a, '/api/v1/auth/logout', loggedOutDuring, 'POST')).toBe(200);
    expect(await call(a, '/api/v1/auth/me', loggedOutDuring)).toBe(401);
    // One process limits on its own: exactly LIMIT of a user's calls to it pass.
    const limited = await burst(limitedDuring, LIMIT + 5, [a]);
    expect([count(limited, 200), count(limited, 429)]).toEqual([LIMIT, 5]);
    await waitFor('load during the outage', async () => (seen.outage.length >= 30 ? true : undefined));

    await redisServer.start();
    phase = 'after';
    await waitFor('/ready to say ready again', async () => ((await readiness(b)).status === 200 ? true : undefined));
    // Unaided: the logout made during the outage reaches Redis, so the other process refuses it too.
    await waitFor('the revocation made during the outage to reach the other process', async () =>
      (await call(b, '/api/v1/auth/me', loggedOutDuring)) === 401 ? true : undefined,
    );
    expect(await call(b, '/api/v1/auth/me', loggedOutBefore)).toBe(401);
    // Counting is shared again: LIMIT calls in all pass, over both processes.
    const shared = await burst(limitedAfter, 2 * LIMIT + 4, [a, b]);
    expect([count(shared, 200), count(shared, 429)]).toEqual([LIMIT, LIMIT + 4]);
    await waitFor('load after the outage', async () => (seen.after.length >= 30 ? true : undefined));
    loading = false;
    await load;

    for (const at of ['before', 'outage', 'after'] as const) {
      // Never an error or a hang: every call is answered, let through or limited.
      expect(seen[at].filter((s) => s !== 200 && s !== 429), at).toEqual([]);
      expect(count(seen[at], 200), at).toBeGreaterThan(0);
    }
  });
});
