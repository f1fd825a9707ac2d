import request from 'supertest';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express from 'express';
import helmet from 'helmet';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConflictError } from '../src/errors/index.js';
import { createBaseApp, finishApp, jsonBody, parseInput, sendData } from '../src/http/index.js';
import { silentLogger } from '../src/logger/index.js';
import { createPool } from '../src/db/index.js';
import { rawHttpExchange, requireInfra } from '../src/testing/index.js';

// A real PostgreSQL, to see what it answers to text it cannot store.
const livePool = createPool({ connectionString: requireInfra('PG_ADMIN_URL'), max: 1 });
afterAll(async () => {
  await livePool.end();
});

function buildApp() {
  const app = createBaseApp({ logger: silentLogger(), jsonLimit: 1024 });
  app.post('/things', (req, res) => {
    const body = parseInput(z.strictObject({ name: z.string().min(1), count: z.number().int() }), req.body);
    sendData(res, body, 201);
  });
  app.get('/things/:id', (req, res) => {
    sendData(res, { id: req.params.id });
  });
  app.get('/echo', async (req, res) => {
    const { rows } = await livePool.query<{ text: string }>('SELECT $1::text AS text', [String(req.query.text)]);
    sendData(res, rows[0]);
  });
  app.get('/conflict', () => {
    throw new ConflictError('Already there', { name: 'x' });
  });
  app.get('/boom', () => {
    throw new Error('SELECT password FROM users failed at db.internal:5432');
  });
  app.get('/async-boom', async () => {
    await Promise.resolve();
    throw new Error('secret detail');
  });
  // Nothing listens on port 1: the pool cannot connect, as when the database is down.
  const deadPool = createPool({ connectionString: 'postgres://u:p@127.0.0.1:1/db', max: 1, connectionTimeoutMs: 500 });
  app.get('/db', async (_req, res) => {
    await deadPool.query('SELECT 1');
    res.end();
  });
  return finishApp(app);
}

const app = buildApp();

function expectErrorBody(body: Record<string, unknown>, type: string): void {
  expect(body.error).toBe(type);
  expect(typeof body.message).toBe('string');
  expect(typeof body.request_id).toBe('string');
  expect(Number.isNaN(Date.parse(String(body.timestamp)))).toBe(false);
  expect(body.details).toBeTypeOf('object');
}

describe('the common HTTP layer', () => {
  it('answers a valid body with the success envelope', async () => {
    const res = await request(app).post('/things').send({ name: 'a', count: 2 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'success', data: { name: 'a', count: 2 } });
  });

  it('answers malformed JSON with 400 in the error body', async () => {
    const res = await request(app).post('/things').set('Content-Type', 'application/json').send('{"name":');
    expect(res.status).toBe(400);
    expectErrorBody(res.body, 'ValidationError');
  });

  it('names wrong types and unknown fields in the details', async () => {
    const res = await request(app).post('/things').send({ name: 5, count: 'x', extra: true });
    expect(res.status).toBe(400);
    expectErrorBody(res.body, 'ValidationError');
    expect(Object.keys(res.body.details)).toEqual(expect.arrayContaining(['name', 'count', 'extra']));
  });

  it('answers a body over the limit with 413', async () => {
    const res = await request(app).post('/things').send({ name: 'x'.repeat(5000), count: 1 });
    expect(res.status).toBe(413);
    expectErrorBody(res.body, 'PayloadTooLarge');
  });

  it('refuses text holding a NUL character anywhere in a JSON body, naming the field', async () => {
    const res = await request(app)
      .post('/things')
      .set('Content-Type', 'application/json')
      .send('{"name":"ok","count":1,"tags":[{"label":"a\\u0000b"}]}');
    expect(res.status).toBe(400);
    expectErrorBody(res.body, 'ValidationError');
    expect(res.body.details).toEqual({ 'tags.0.label': 'contains the NUL character' });
    // The six characters of the escape, written as text, are ordinary text.
    const literal = await request(app).post('/things').send({ name: 'a\\u0000b', count: 1 });
    expect(literal.status).toBe(201);
    expect(literal.body.data.name).toBe('a\\u0000b');
  });

  it('answers text the database cannot store with 400, not 500', async () => {
    const stored = await request(app).get('/echo').query({ text: 'plain' });
    expect(stored.body.data.text).toBe('plain');
    const res = await request(app).get('/echo?text=a%00b');
    expect(res.status).toBe(400);
    expectErrorBody(res.body, 'ValidationError');
  });

  it('answers a body that does not match its Content-Encoding with 400, and an unknown encoding with 415', async () => {
    const postEncoded = (encoding: string) =>
      request(app).post('/things').set('Content-Type', 'application/json').set('Content-Encoding', encoding).send('{"name":"a","count":1}');
    const notGzip = await postEncoded('gzip');
    expect(notGzip.status).toBe(400);
    expectErrorBody(notGzip.body, 'ValidationError');
    // A real gzip body still works (sent with fetch: supertest re-encodes a Buffer body).
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const gzip = await fetch(`http://127.0.0.1:${port}/things`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
        body: gzipSync('{"name":"a","count":1}'),
      });
      expect(gzip.status).toBe(201);
    } finally {
      server.close();
    }
    const unknown = await postEncoded('compress');
    expect(unknown.status).toBe(415);
    expectErrorBody(unknown.body, 'UnsupportedMediaType');
  });

  it('answers 408 and closes the connection when a JSON body stops short of its Content-Length', async () => {
    const slowApp = createBaseApp({ logger: silentLogger(), jsonLimit: false });
    slowApp.post('/things', jsonBody(1024, { timeoutMs: 200 }), (req, res) => {
      sendData(res, req.body, 201);
    });
    const server = finishApp(slowApp).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const answer = await rawHttpExchange(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        'POST /things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":1}',
      );
      expect(answer.status).toBe(408);
      expectErrorBody(JSON.parse(answer.body), 'RequestTimeout');
    } finally {
      server.close();
    }
  });

  it('answers malformed percent-encoding in a path parameter with 400', async () => {
    expect((await request(app).get('/things/caf%C3%A9')).body.data.id).toBe('café');
    const res = await request(app).get('/things/%E0%A4%A');
    expect(res.status).toBe(400);
    expectErrorBody(res.body, 'ValidationError');
  });

  it('answers an unknown route with 404 in the error body', async () => {
    const res = await request(app).get('/nowhere');
    expect(res.status).toBe(404);
    expectErrorBody(res.body, 'NotFound');
  });

  it('turns an AppError into its status and details', async () => {
    const res = await request(app).get('/conflict');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'Conflict', message: 'Already there', details: { name: 'x' } });
  });

  it('hides the text of unexpected errors, sync or async, behind a generic 500', async () => {
    for (const path of ['/boom', '/async-boom']) {
      const res = await request(app).get(path);
      expect(res.status).toBe(500);
      expectErrorBody(res.body, 'InternalError');
      expect(JSON.stringify(res.body)).not.toMatch(/password|secret|5432/);
    }
  });

  it('answers 503 rather than 500 while the database cannot be reached', async () => {
    const res = await request(app).get('/db');
    expect(res.status).toBe(503);
    expectErrorBody(res.body, 'ServiceUnavailable');
    expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
  });

  it('echoes the caller request id and makes one otherwise', async () => {
    const mine = await request(app).get('/nowhere').set('X-Request-ID', 'abc-123');
    expect(mine.headers['x-request-id']).toBe('abc-123');
    expect(mine.body.request_id).toBe('abc-123');
    const made = await request(app).get('/nowhere');
    expect(made.headers['x-request-id']).toMatch(/^req_/);
    const hostile = await request(app).get('/nowhere').set('X-Request-ID', '<script>');
    expect(hostile.headers['x-request-id']).toMatch(/^req_/);
  });

  it("sets helmet's security headers on every answer, success, error and 404 alike, with helmet's values", async () => {
    // What helmet itself answers, for comparison.
    const reference = express();
    reference.disable('x-powered-by');
    reference.use(helmet());
    reference.get('/', (_req, res) => {
      res.json({});
    });
    const expected = (await request(reference).get('/')).headers;
    const names = Object.keys(expected).filter((n) => !['content-type', 'content-length', 'etag', 'date', 'connection', 'keep-alive'].includes(n));
    expect(names).toEqual(expect.arrayContaining(['content-security-policy', 'strict-transport-security', 'x-content-type-options', 'x-frame-options']));
    for (const path of ['/things/7', '/conflict', '/nowhere']) {
      const res = await request(app).get(path);
      for (const name of names) expect(res.headers[name], `${name} on ${path}`).toBe(expected[name]);
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });
});
