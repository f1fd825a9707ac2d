import type { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '@learner/common/cache';
import { createTestDatabase, type TestDatabase } from '@learner/common/testing';
import { buildGateway, freshIp, newSecrets, serve, testRedis, uniqueEmail, uniquePrefix, type TestGateway } from './gateway-harness.js';

let db: TestDatabase;
let redis: Redis;
const secrets = newSecrets();

beforeAll(async () => {
  db = await createTestDatabase({ database: 'gateway', fromDir: import.meta.dirname });
  redis = await testRedis();
});

afterAll(async () => {
  redis?.disconnect();
  await db?.drop();
});

async function registerVia(gateway: TestGateway): Promise<string> {
  const res = await request(gateway.app)
    .post('/api/v1/auth/register')
    .set('X-Forwarded-For', freshIp())
    .send({ email: uniqueEmail(), password: 'long enough pass' });
  expect(res.status).toBe(201);
  return res.body.data.token as string;
}

describe('rate limiting shared through Redis', () => {
  it('lets exactly 100 of 250 requests for one user through two gateway instances in a minute', async () => {
    const prefix = uniquePrefix();
    const first = buildGateway({ db, secrets, redis, prefix });
    const secondRedis = await testRedis();
    const second = buildGateway({ db, secrets, redis: secondRedis, prefix });
    const servers = [await serve(first.app), await serve(second.app)];
    try {
      const token = await registerVia(first);
      const statuses: number[] = [];
      for (let batch = 0; batch < 10; batch++) {
        const answers = await Promise.all(
          Array.from({ length: 25 }, (_, i) =>
            fetch(`${servers[i % 2]!.url}/api/v1/auth/verify`, { headers: { Authorization: `Bearer ${token}` } }),
          ),
        );
        for (const answer of answers) {
          statuses.push(answer.status);
          await answer.body?.cancel();
        }
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(100);
      expect(statuses.filter((s) => s === 429)).toHaveLength(150);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      secondRedis.disconnect();
    }
  });

  it('puts X-RateLimit headers on every answer, and Retry-After with the error body on a 429', async () => {
    const gateway = buildGateway({ db, secrets, redis, prefix: uniquePrefix(), limit: 3 });
    const token = await registerVia(gateway);
    const answers = [];
    for (let i = 0; i < 4; i++) {
      answers.push(await request(gateway.app).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`));
    }
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((a) => a.headers['x-ratelimit-remaining'])).toEqual(['2', '1', '0', '0']);
    for (const answer of answers) {
      expect(answer.headers['x-ratelimit-limit']).toBe('3');
      const reset = Number(answer.headers['x-ratelimit-reset']);
      expect(reset).toBeGreaterThan(Date.now() / 1000);
      expect(reset).toBeLessThanOrEqual(Date.now() / 1000 + 61);
    }
    const refused = answers[3]!;
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.body).toMatchObject({ error: 'RateLimitExceeded', request_id: expect.any(String) });
  });

  it('counts requests without a token per client address, and a user apart from their address', async () => {
    const gateway = buildGateway({ db, secrets, redis, prefix: uniquePrefix(), limit: 2 });
    const [ipA, ipB] = [freshIp(), freshIp()];
    const login = (ip: string) =>
      request(gateway.app).post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email: uniqueEmail(), password: 'wrong password' });
    expect((await login(ipA)).status).toBe(401);
    expect((await login(ipA)).status).toBe(401);
    expect((await login(ipA)).status).toBe(429);
    expect((await login(ipB)).status).toBe(401);

    const token = (await request(gateway.app).post('/api/v1/auth/register').set('X-Forwarded-For', ipB).send({ email: uniqueEmail(), password: 'long enough pass' })).body.data.token;
    const me = await request(gateway.app).get('/api/v1/auth/me').set('X-Forwarded-For', ipA).set('Authorization', `Bearer ${token}`);
    expect(me.status).toBe(200);
  });
});

describe('which peers may name the client (TRUST_PROXY)', () => {
  // Three failed logins from three forwarded addresses, all arriving from this test over loopback.
  async function loginsFromForwardedAddresses(gateway: TestGateway): Promise<number[]> {
    const statuses = [];
    for (const ip of [freshIp(), freshIp(), freshIp()]) {
      const res = await request(gateway.app)
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ email: uniqueEmail(), password: 'wrong password' });
      statuses.push(res.status);
    }
    return statuses;
  }

  it('counts each forwarded client apart when the peer is a trusted proxy', async () => {
    const gateway = buildGateway({ db, secrets, redis, prefix: uniquePrefix(), limit: 2, trustProxy: 'loopback' });
    expect(await loginsFromForwardedAddresses(gateway)).toEqual([401, 401, 401]);
  });

  it('ignores X-Forwarded-For from a peer it does not trust, so a client cannot pick its own limit', async () => {
    const gateway = buildGateway({ db, secrets, redis, prefix: uniquePrefix(), limit: 2, trustProxy: false });
    expect(await loginsFromForwardedAddresses(gateway)).toEqual([401, 401, 429]);
  });

  it('trusts only the listed subnets: a load balancer in 10.0.0.0/8 would be trusted, loopback is not', async () => {
    const gateway = buildGateway({ db, secrets, redis, prefix: uniquePrefix(), limit: 2, trustProxy: '10.0.0.0/8' });
    expect(await loginsFromForwardedAddresses(gateway)).toEqual([401, 401, 429]);
  });
});

/** Me, logout, me again (revoked), and once more (over a limit of 3): what a client sees in order. */
async function logoutStory(gateway: TestGateway): Promise<Array<{ status: number; message?: string }>> {
  const auth = `Bearer ${await registerVia(gateway)}`;
  const answers = [
    await request(gateway.app).get('/api/v1/auth/me').set('Authorization', auth),
    await request(gateway.app).post('/api/v1/auth/logout').set('Authorization', auth),
    // A revoked token is not its user's any more: its calls count against the client's address.
    await request(gateway.app).get('/api/v1/auth/me').set('Authorization', auth),
    await request(gateway.app).get('/api/v1/auth/me').set('Authorization', auth),
    await request(gateway.app).get('/api/v1/auth/me').set('Authorization', auth),
    await request(gateway.app).get('/api/v1/auth/me').set('Authorization', auth),
  ];
  return answers.map((a) => ({ status: a.status, message: a.body.message as string | undefined }));
}

describe('when Redis is unreachable', () => {
  it('keeps answering, limiting in memory, and still revokes tokens on logout', async () => {
    const deadRedis = createRedis('redis://127.0.0.1:9');
    try {
      const story = await logoutStory(buildGateway({ db, secrets, redis: deadRedis, prefix: uniquePrefix(), limit: 3 }));
      expect(story.map((a) => a.status)).toEqual([200, 200, 401, 401, 401, 429]);
      expect(story[2]?.message).toMatch(/revoked/);
    } finally {
      deadRedis.disconnect();
    }
  });
});

describe('embedded mode (no Redis)', () => {
  it('limits per user in memory and revokes a logged-out token', async () => {
    const story = await logoutStory(buildGateway({ db, secrets, redis: null, prefix: '', limit: 3 }));
    expect(story.map((a) => a.status)).toEqual([200, 200, 401, 401, 401, 429]);
    expect(story[2]?.message).toMatch(/revoked/);
  });
});
