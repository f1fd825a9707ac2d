import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERASURE_SERVICES } from '@learner/common/contracts';
import { TOPICS, createEvent, createInProcessBus, createInProcessEventConsumer, type InProcessBus } from '@learner/common/events';
import { silentLogger } from '@learner/common/logger';
import { createTestDatabase, type TestDatabase } from '@learner/common/testing';
import { registerErasureConfirmations } from '../src/erasure/erasure-service.js';
import { buildGateway, freshIp, newSecrets, testRedis, uniqueEmail, uniquePrefix, type TestGateway } from './gateway-harness.js';

/*
 * DELETE /api/v1/auth/me in the gateway itself, on PostgreSQL and Redis: the account and every
 * session of it end at once, user.deleted waits in the outbox, and the services' confirmations
 * (delivered here on the in-process bus, as the consumer delivers them from Kafka) complete it.
 */
let db: TestDatabase;
let redis: Redis;
let gateway: TestGateway;
let bus: InProcessBus;
const prefix = uniquePrefix();
const password = 'correct horse battery';

beforeAll(async () => {
  db = await createTestDatabase({ database: 'gateway', fromDir: import.meta.dirname });
  redis = await testRedis();
  gateway = buildGateway({ db, secrets: newSecrets(), redis, prefix });
  bus = createInProcessBus();
  const consumer = createInProcessEventConsumer({ name: 'gateway-service', pool: db.pool, logger: silentLogger(), bus, maxAttempts: 1 });
  registerErasureConfirmations(consumer);
  await consumer.start();
});

afterAll(async () => {
  redis?.disconnect();
  await db?.drop();
});

const me = (token: string) => request(gateway.app).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
const erase = (token: string, body: unknown) => request(gateway.app).delete('/api/v1/auth/me').set('Authorization', `Bearer ${token}`).send(body as object);

async function account() {
  const email = uniqueEmail();
  const ip = freshIp();
  const registered = await request(gateway.app).post('/api/v1/auth/register').set('X-Forwarded-For', ip).send({ email, password });
  const login = await request(gateway.app).post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email, password });
  const refreshed = await request(gateway.app).post('/api/v1/auth/refresh').send({ refresh_token: login.body.data.refresh_token });
  expect(refreshed.status).toBe(200);
  return {
    email,
    userId: registered.body.data.user.id as string,
    tokens: [registered.body.data.token, login.body.data.token, refreshed.body.data.token] as string[],
    refreshTokens: [registered.body.data.refresh_token, refreshed.body.data.refresh_token] as string[],
  };
}

async function rowsNaming(userId: string): Promise<string[]> {
  const found: string[] = [];
  for (const table of ['users', 'refresh_tokens', 'outbox', 'erasures', 'erasure_confirmations', 'processed_events', 'erased_users']) {
    const { rows } = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} t WHERE t::text LIKE '%' || $1 || '%'`, [userId]);
    if (Number(rows[0]!.n) > 0) found.push(table);
  }
  return found;
}

describe('DELETE /api/v1/auth/me', () => {
  it('ends every session of the account at once and frees its email; user.deleted waits in the outbox', async () => {
    const ada = await account();
    const res = await erase(ada.tokens[2]!, { password });
    expect(res.status).toBe(202);
    expect(res.body.data).toMatchObject({ status: 'pending', requested_at: expect.any(String), completed_at: null });
    expect(res.body.data.services).toHaveLength(ERASURE_SERVICES.length);

    for (const token of ada.tokens) expect((await me(token)).status).toBe(401);
    for (const refreshToken of ada.refreshTokens) {
      expect((await request(gateway.app).post('/api/v1/auth/refresh').send({ refresh_token: refreshToken })).status).toBe(401);
    }
    expect((await request(gateway.app).post('/api/v1/auth/login').set('X-Forwarded-For', freshIp()).send({ email: ada.email, password })).status).toBe(401);
    // Calls with a dead token do not bring back the account's rate-limit key.
    expect(await redis.exists(`${prefix}rl:user:${ada.userId}`)).toBe(0);
    // Only the event that tells the services names the user, until they all confirmed.
    expect(await rowsNaming(ada.userId)).toEqual(['outbox']);
    const { rows } = await db.pool.query<{ topic: string; payload: { payload: { erasure_id: string } } }>(
      'SELECT topic, payload FROM outbox WHERE event_key = $1',
      [ada.userId],
    );
    expect(rows).toEqual([{ topic: TOPICS.userDeleted, payload: expect.objectContaining({ payload: { erasure_id: res.body.data.erasure_id } }) }]);

    const again = await request(gateway.app).post('/api/v1/auth/register').set('X-Forwarded-For', freshIp()).send({ email: ada.email, password });
    expect(again.status).toBe(201);
    expect(again.body.data.user.id).not.toBe(ada.userId);
  });

  it('is completed by the last service to confirm, then keeps nothing that names the user', async () => {
    const bob = await account();
    const erased = await erase(bob.tokens[0]!, { password });
    const erasureId = erased.body.data.erasure_id as string;
    const confirm = (service: string) =>
      bus.publish([
        {
          topic: TOPICS.erasureConfirmed,
          key: erasureId,
          event: createEvent({ type: TOPICS.erasureConfirmed, userId: erasureId, service, payload: { erasure_id: erasureId, service } }),
        },
      ]);
    const receipt = () => request(gateway.app).get(`/api/v1/auth/erasures/${erasureId}`).set('X-Forwarded-For', freshIp());

    for (const service of ['document', 'chat', 'quiz', 'tts']) await confirm(service);
    await confirm('quiz');
    const waiting = await receipt();
    expect(waiting.body.data.status).toBe('pending');
    expect(waiting.body.data.services.filter((s: { status: string }) => s.status === 'pending').map((s: { service: string }) => s.service)).toEqual(['stt']);

    await confirm('stt');
    const done = await receipt();
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({ erasure_id: erasureId, status: 'completed', completed_at: expect.any(String) });
    expect(await rowsNaming(bob.userId)).toEqual([]);
    // A confirmation of an erasure the gateway never made changes nothing.
    const unknown = randomUUID();
    await bus.publish([
      {
        topic: TOPICS.erasureConfirmed,
        key: unknown,
        event: createEvent({ type: TOPICS.erasureConfirmed, userId: unknown, service: 'tts', payload: { erasure_id: unknown, service: 'tts' } }),
      },
    ]);
    expect((await request(gateway.app).get(`/api/v1/auth/erasures/${unknown}`).set('X-Forwarded-For', freshIp())).status).toBe(404);
  });

  it('erases once when asked twice at the same time: one 202, the other 401', async () => {
    const cy = await account();
    const answers = await Promise.all([erase(cy.tokens[0]!, { password }), erase(cy.tokens[1]!, { password })]);
    expect(answers.map((a) => a.status).sort()).toEqual([202, 401]);
    const { rows } = await db.pool.query('SELECT 1 FROM outbox WHERE event_key = $1', [cy.userId]);
    expect(rows).toHaveLength(1);
  });

  it('answers 400 without a password and 401 with a wrong one, in the error format, and keeps the account', async () => {
    const dee = await account();
    const missing = await erase(dee.tokens[0]!, {});
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: 'ValidationError', details: { password: expect.any(String) } });
    const extra = await erase(dee.tokens[0]!, { password, user_id: 'someone-else' });
    expect(extra.status).toBe(400);
    const wrong = await erase(dee.tokens[0]!, { password: 'correct horse battery!' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: 'Unauthorized', message: 'The password is not correct', request_id: expect.any(String) });
    expect((await me(dee.tokens[0]!)).status).toBe(200);
  });
});
