import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@learner/common/testing';
import { buildGateway, freshIp, newSecrets, testRedis, uniqueEmail, uniquePrefix, type TestGateway } from './gateway-harness.js';

let db: TestDatabase;
let redis: Redis;
let gateway: TestGateway;
const secrets = newSecrets();

beforeAll(async () => {
  db = await createTestDatabase({ database: 'gateway', fromDir: import.meta.dirname });
  redis = await testRedis();
  gateway = buildGateway({ db, secrets, redis, prefix: uniquePrefix() });
});

afterAll(async () => {
  redis?.disconnect();
  await db?.drop();
});

async function register(body: Record<string, unknown> = {}) {
  const input = { email: uniqueEmail(), password: 'correct horse battery', ...body };
  const res = await request(gateway.app).post('/api/v1/auth/register').set('X-Forwarded-For', freshIp()).send(input);
  expect(res.status).toBe(201);
  return { input, session: res.body.data as { user: { id: string; email: string; name: string | null }; token: string; refresh_token: string; expires_in: number } };
}

const me = (token: string) => request(gateway.app).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);

describe('registration', () => {
  it('creates an account and answers 201 with the user, an access token and a refresh token', async () => {
    const email = uniqueEmail();
    const res = await request(gateway.app)
      .post('/api/v1/auth/register')
      .send({ email: email.toUpperCase(), password: 'long enough pass', name: 'Ada' });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('success');
    const data = res.body.data;
    expect(data.user).toEqual({ id: expect.any(String), email, name: 'Ada' });
    expect(data.expires_in).toBe(24 * 3600);
    expect(typeof data.refresh_token).toBe('string');
    const claims = jwt.decode(data.token, { complete: true });
    expect(claims?.header.alg).toBe('HS256');
    expect(claims?.payload).toMatchObject({ user_id: data.user.id, email, jti: expect.any(String) });
    const who = await me(data.token);
    expect(who.status).toBe(200);
    expect(who.body.data).toEqual({ valid: true, user: data.user });
  });

  it('answers 409 when the email is already taken, whatever its case', async () => {
    const { input } = await register();
    const res = await request(gateway.app)
      .post('/api/v1/auth/register')
      .send({ email: input.email.toUpperCase(), password: 'another password' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'Conflict', request_id: expect.any(String) });
  });

  it('answers 400 naming each bad field for a bad email, a short password and an unknown field', async () => {
    const res = await request(gateway.app)
      .post('/api/v1/auth/register')
      .send({ email: 'not-an-email', password: 'short', role: 'admin' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('ValidationError');
    expect(Object.keys(res.body.details).sort()).toEqual(['email', 'password', 'role']);
  });

  it('answers 400 for fields of the wrong type and for a password over 128 characters', async () => {
    const wrongTypes = await request(gateway.app).post('/api/v1/auth/register').send({ email: 42, password: ['x'] });
    expect(wrongTypes.status).toBe(400);
    expect(Object.keys(wrongTypes.body.details).sort()).toEqual(['email', 'password']);
    const tooLong = await request(gateway.app)
      .post('/api/v1/auth/register')
      .send({ email: uniqueEmail(), password: 'x'.repeat(129) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.details).toHaveProperty('password');
  });

  it('answers 400 for malformed JSON and 413 for a body over the limit, in the error body', async () => {
    const malformed = await request(gateway.app)
      .post('/api/v1/auth/register')
      .set('Content-Type', 'application/json')
      .send('{"email": "a@b.c", "password": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: 'ValidationError', request_id: expect.any(String) });
    const huge = await request(gateway.app)
      .post('/api/v1/auth/register')
      .send({ email: uniqueEmail(), password: 'long enough pass', name: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toBe('PayloadTooLarge');
  });
});

describe('register, unreadable input', () => {
  it('answers 400 for a NUL character in a field and keeps the email free', async () => {
    const email = uniqueEmail();
    const res = await request(gateway.app)
      .post('/api/v1/auth/register')
      .send({ email, password: 'long enough pass', name: 'Ada\u0000Lovelace' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'ValidationError', details: { name: 'contains the NUL character' } });
    const retry = await request(gateway.app).post('/api/v1/auth/register').send({ email, password: 'long enough pass', name: 'Ada' });
    expect(retry.status).toBe(201);
  });

  it('answers 400 for a body that is not what its Content-Encoding says', async () => {
    const res = await request(gateway.app)
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('{"email":"a@example.com","password":"long enough pass"}');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'ValidationError', request_id: expect.any(String) });
  });
});

describe('login', () => {
  it('answers 200 with a new session for the right password', async () => {
    const { input, session } = await register({ name: 'Grace' });
    const res = await request(gateway.app)
      .post('/api/v1/auth/login')
      .send({ email: `  ${input.email.toUpperCase()} `, password: input.password });
    expect(res.status).toBe(200);
    expect(res.body.data.user).toEqual(session.user);
    expect(res.body.data.token).not.toBe(session.token);
    expect((await me(res.body.data.token)).status).toBe(200);
  });

  it('answers 401 with one message for a wrong password and for an unknown email', async () => {
    const { input } = await register();
    const wrong = await request(gateway.app).post('/api/v1/auth/login').send({ email: input.email, password: 'wrong password' });
    const unknown = await request(gateway.app).post('/api/v1/auth/login').send({ email: uniqueEmail(), password: input.password });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe(unknown.body.message);
    expect(wrong.body.error).toBe('Unauthorized');
  });
});

describe('refresh', () => {
  it('rotates: the new pair works and the old refresh token stops working', async () => {
    const { session } = await register();
    const first = await request(gateway.app).post('/api/v1/auth/refresh').send({ refresh_token: session.refresh_token });
    expect(first.status).toBe(200);
    expect(first.body.data.refresh_token).not.toBe(session.refresh_token);
    expect(first.body.data.user).toEqual(session.user);
    expect((await me(first.body.data.token)).status).toBe(200);

    const second = await request(gateway.app).post('/api/v1/auth/refresh').send({ refresh_token: first.body.data.refresh_token });
    expect(second.status).toBe(200);
  });

  it('when a used refresh token comes back, revokes the whole family and its live access tokens', async () => {
    const { session } = await register();
    const rotated = await request(gateway.app).post('/api/v1/auth/refresh').send({ refresh_token: session.refresh_token });
    expect(rotated.status).toBe(200);

    const replay = await request(gateway.app).post('/api/v1/auth/refresh').send({ refresh_token: session.refresh_token });
    expect(replay.status).toBe(401);

    const newest = await request(gateway.app)
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: rotated.body.data.refresh_token });
    expect(newest.status).toBe(401);
    expect((await me(rotated.body.data.token)).status).toBe(401);
  });

  it('answers 401 for an unknown refresh token and 400 for a missing one', async () => {
    const unknown = await request(gateway.app).post('/api/v1/auth/refresh').send({ refresh_token: 'made-up' });
    expect(unknown.status).toBe(401);
    const missing = await request(gateway.app).post('/api/v1/auth/refresh').send({});
    expect(missing.status).toBe(400);
    expect(missing.body.details).toHaveProperty('refresh_token');
  });
});

describe('logout', () => {
  it('revokes the access token and the refresh token of that session, not other sessions', async () => {
    const { input, session } = await register();
    const other = await request(gateway.app).post('/api/v1/auth/login').send({ email: input.email, password: input.password });

    const res = await request(gateway.app).post('/api/v1/auth/logout').set('Authorization', `Bearer ${session.token}`);
    expect(res.status).toBe(200);

    const after = await me(session.token);
    expect(after.status).toBe(401);
    expect(after.body.error).toBe('Unauthorized');
    const refresh = await request(gateway.app).post('/api/v1/auth/refresh').send({ refresh_token: session.refresh_token });
    expect(refresh.status).toBe(401);
    expect((await me(other.body.data.token)).status).toBe(200);
  });

  it('answers 401 without a token', async () => {
    const res = await request(gateway.app).post('/api/v1/auth/logout');
    expect(res.status).toBe(401);
  });
});

describe('access tokens the gateway refuses', () => {
  const user = () => ({ user_id: randomUUID(), email: uniqueEmail(), jti: randomUUID() });
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('answers 401 for an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = jwt.sign({ ...user(), iat: now - 7200, exp: now - 3600 }, secrets.jwtSecret, { algorithm: 'HS256' });
    const res = await me(expired);
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/expired/);
  });

  it('answers 401 for a malformed token and for a missing Bearer scheme', async () => {
    expect((await me('not.a-token')).status).toBe(401);
    expect((await me('abc')).status).toBe(401);
    const noScheme = await request(gateway.app).get('/api/v1/auth/me').set('Authorization', 'Token abc');
    expect(noScheme.status).toBe(401);
  });

  it('answers 401 for an unsigned token with alg none', async () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...user(), iat: now, exp: now + 3600 })}.`;
    expect((await me(unsigned)).status).toBe(401);
  });

  it('answers 401 for a token signed with another key', async () => {
    const forged = jwt.sign(user(), 'some-other-secret-of-enough-length', { algorithm: 'HS256', expiresIn: 3600 });
    expect((await me(forged)).status).toBe(401);
  });

  it('answers 401 for a token signed with the internal-token secret', async () => {
    const forged = jwt.sign(user(), secrets.internalSecret, { algorithm: 'HS256', expiresIn: 3600 });
    expect((await me(forged)).status).toBe(401);
  });
});
