import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '@learner/common/cache';
import { createTestDatabase, type TestDatabase } from '@learner/common/testing';
import type { ServiceName } from '../src/proxy/proxy-routes.js';
import { createReadinessChecks } from '../src/readiness-checks.js';
import { buildGateway, CLOSED_URL, newSecrets, serve, testRedis, uniquePrefix, type Running } from './gateway-harness.js';

let db: TestDatabase;
let redis: Redis;
let service: Running;
const secrets = newSecrets();

beforeAll(async () => {
  db = await createTestDatabase({ database: 'gateway', fromDir: import.meta.dirname });
  redis = await testRedis();
  const standIn = express();
  standIn.get('/health', (_req, res) => {
    res.json({ status: 'healthy' });
  });
  standIn.get('/api/v1/quizzes/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  standIn.get('/api/v1/chat/sessions', (_req, res) => {
    res.setHeader('Vary', 'Accept-Language');
    res.json({ sessions: [] });
  });
  service = await serve(standIn);
});

afterAll(async () => {
  await service?.close();
  redis?.disconnect();
  await db?.drop();
});

const allServices = (url: string): Record<ServiceName, string> => ({ tts: url, stt: url, chat: url, document: url, quiz: url });

describe('probes', () => {
  it('answers /health with 200 healthy', async () => {
    const gateway = buildGateway({ db, secrets, redis, prefix: uniquePrefix() });
    const res = await request(gateway.app).get('/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('healthy');
  });

  it('answers /ready with 200 when the database, Redis and every service answer', async () => {
    const services = allServices(service.url);
    const checks = createReadinessChecks({ pool: db.pool, redis, services, timeoutMs: 1_000 });
    const gateway = buildGateway({ db, secrets, redis, prefix: uniquePrefix(), services, checks });
    const res = await request(gateway.app).get('/ready');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.checks).sort()).toEqual(['chat', 'database', 'document', 'quiz', 'redis', 'stt', 'tts']);
  });

  it('answers /ready with 503 in the error body naming the service and Redis that are down', async () => {
    const deadRedis = createRedis('redis://127.0.0.1:9');
    try {
      const services = { ...allServices(service.url), stt: CLOSED_URL };
      const checks = createReadinessChecks({ pool: db.pool, redis: deadRedis, services, timeoutMs: 1_000 });
      const gateway = buildGateway({ db, secrets, redis: deadRedis, prefix: uniquePrefix(), services, checks });
      const res = await request(gateway.app).get('/ready');
      expect(res.status).toBe(503);
      expect(res.body.error).toBe('ServiceUnavailable');
      expect(res.body.details.down.sort()).toEqual(['redis', 'stt']);
    } finally {
      deadRedis.disconnect();
    }
  });

  it('counts proxied requests in /metrics under the route pattern, not the raw path', async () => {
    const gateway = buildGateway({ db, secrets, redis, prefix: uniquePrefix(), services: allServices(service.url) });
    const user = { id: randomUUID(), email: 'metrics@example.com' };
    const auth = `Bearer ${gateway.accessTokens.sign(user).token}`;
    expect((await request(gateway.app).get(`/api/v1/quizzes/${randomUUID()}`).set('Authorization', auth)).status).toBe(200);
    const metrics = await request(gateway.app).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/http_requests_total\{[^}]*route="\/api\/v1\/quizzes\/\*"[^}]*status="200"/);
  });
});

describe('browser and transport headers', () => {
  it('allows the configured origins only and exposes the rate-limit headers to them', async () => {
    const gateway = buildGateway({ db, secrets, redis, prefix: uniquePrefix() });
    const allowed = await request(gateway.app).post('/api/v1/auth/login').set('Origin', 'http://localhost:5173').send({});
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(allowed.headers['access-control-expose-headers']).toContain('X-RateLimit-Remaining');
    const other = await request(gateway.app).post('/api/v1/auth/login').set('Origin', 'https://evil.example').send({});
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await request(gateway.app)
      .options('/api/v1/documents')
      .set('Origin', 'http://localhost:5173')
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.status).toBe(204);
  });

  it('gives a proxied answer the CORS headers a browser needs, and none to a caller without an Origin', async () => {
    const gateway = buildGateway({ db, secrets, redis, prefix: uniquePrefix(), services: allServices(service.url) });
    const auth = `Bearer ${gateway.accessTokens.sign({ id: randomUUID(), email: 'cors@example.com' }).token}`;
    const path = `/api/v1/quizzes/${randomUUID()}`;
    const browser = await request(gateway.app).get(path).set('Authorization', auth).set('Origin', 'http://localhost:5173');
    expect(browser.status).toBe(200);
    expect(browser.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(browser.headers['access-control-allow-credentials']).toBe('true');
    expect(browser.headers['access-control-expose-headers']).toContain('X-RateLimit-Remaining');
    expect(browser.headers.vary).toMatch(/\bOrigin\b/);
    const cli = await request(gateway.app).get(path).set('Authorization', auth);
    expect(cli.status).toBe(200);
    expect(cli.body).toEqual(browser.body);
    expect(Object.keys(cli.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    // A cache keyed without the Origin could hand this answer to a browser page; Vary forbids that.
    expect(cli.headers.vary).toMatch(/\bOrigin\b/);
  });

  it('keeps Origin in Vary when the service varies its answer on headers of its own', async () => {
    const gateway = buildGateway({ db, secrets, redis, prefix: uniquePrefix(), services: allServices(service.url) });
    const auth = `Bearer ${gateway.accessTokens.sign({ id: randomUUID(), email: 'vary@example.com' }).token}`;
    const res = await request(gateway.app).get('/api/v1/chat/sessions').set('Authorization', auth).set('Origin', 'http://localhost:5173');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect((res.headers.vary ?? '').split(/\s*,\s*/).sort()).toEqual(['Accept-Language', 'Origin']);
  });

  it('sets the security headers of helmet', async () => {
    const gateway = buildGateway({ db, secrets, redis, prefix: uniquePrefix() });
    const res = await request(gateway.app).get('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
