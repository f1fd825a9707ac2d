import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, rawHttpExchange, type TestDatabase } from '@learner/common/testing';
import { buildGateway, CLOSED_URL, newSecrets, serve, type TestGateway } from './gateway-harness.js';

/** What the stand-in service saw of one request. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  sha256: string;
  length: number;
}

let db: TestDatabase;
let upstream: Server;
let upstreamUrl: string;
let gateway: TestGateway;
let slowGateway: TestGateway;
const seen: Seen[] = [];
const hanging = new Set<IncomingMessage>();
const secrets = newSecrets();

/** A real HTTP server standing in for the services, answering by path. */
function standInService(): Server {
  return createServer((req, res) => {
    const hash = createHash('sha256');
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      length += chunk.length;
    });
    req.on('end', () => {
      const record: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, sha256: hash.digest('hex'), length };
      seen.push(record);
      const path = (req.url ?? '').split('?')[0];
      if (path === '/api/v1/quizzes/slow') {
        hanging.add(req);
        return;
      }
      if (path === '/api/v1/documents/missing') {
        res.writeHead(404, { 'Content-Type': 'application/json', 'X-Upstream': 'document' });
        res.end(JSON.stringify({ error: 'NotFound', message: 'No such document' }));
        return;
      }
      if (path === '/api/v1/tts/stream') {
        res.writeHead(200, { 'Content-Type': 'audio/mpeg' });
        let sent = 0;
        const timer = setInterval(() => {
          res.write(Buffer.alloc(1000, sent));
          if (++sent === 5) {
            clearInterval(timer);
            res.end();
          }
        }, 10);
        return;
      }
      res.writeHead(req.method === 'POST' ? 201 : 200, {
        'Content-Type': 'application/json',
        'X-Upstream': 'yes',
        'Set-Cookie': 'a=b',
      });
      res.end(JSON.stringify(record));
    });
  });
}

beforeAll(async () => {
  db = await createTestDatabase({ database: 'gateway', fromDir: import.meta.dirname });
  upstream = standInService();
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const services = { tts: upstreamUrl, stt: CLOSED_URL, chat: upstreamUrl, document: upstreamUrl, quiz: upstreamUrl };
  gateway = buildGateway({ db, secrets, redis: null, prefix: '', services, maxFileSize: 1024 });
  slowGateway = buildGateway({ db, secrets, redis: null, prefix: '', services, requestTimeoutMs: 1_000 });
});

afterAll(async () => {
  for (const req of hanging) req.socket.destroy();
  upstream?.closeAllConnections();
  await new Promise((resolve) => upstream?.close(resolve));
  await db?.drop();
});

function signedIn(target: TestGateway = gateway) {
  const user = { id: randomUUID(), email: `${randomUUID()}@example.com` };
  return { user, auth: `Bearer ${target.accessTokens.sign(user).token}` };
}

describe('proxying to the services', () => {
  it('passes a 201, its headers and body through, and tells the service who the user is', async () => {
    const { user, auth } = signedIn();
    const res = await request(gateway.app)
      .post('/api/v1/chat/sessions?x=1')
      .set('Authorization', auth)
      .set('X-Request-ID', 'trace-123')
      .set('X-User-ID', 'someone-else')
      .set('X-Internal-Token', 'forged')
      .send({ title: 'Biology' });
    expect(res.status).toBe(201);
    expect(res.headers['x-upstream']).toBe('yes');
    expect(res.headers['set-cookie']).toEqual(['a=b']);
    expect(res.headers['x-request-id']).toBe('trace-123');
    const received = res.body as Seen;
    expect(received.url).toBe('/api/v1/chat/sessions?x=1');
    expect(received.headers['x-user-id']).toBe(user.id);
    expect(received.headers['x-user-email']).toBe(user.email);
    expect(received.headers['x-request-id']).toBe('trace-123');
    expect(gateway.internalTokens.verify(String(received.headers['x-internal-token']))).toEqual(user);
  });

  it('passes a 404 of the service through unchanged', async () => {
    const res = await request(gateway.app).get('/api/v1/documents/missing').set('Authorization', signedIn().auth);
    expect(res.status).toBe(404);
    expect(res.headers['x-upstream']).toBe('document');
    expect(res.body).toEqual({ error: 'NotFound', message: 'No such document' });
  });

  it('delivers a multipart upload to the service byte for byte', async () => {
    const boundary = `----learner${randomUUID()}`;
    const file = randomBytes(512 * 1024);
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nNotes\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.png"\r\nContent-Type: image/png\r\n\r\n`),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await request(gateway.app)
      .post('/api/v1/documents/upload')
      .set('Authorization', signedIn().auth)
      .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
      .send(body);
    expect(res.status).toBe(201);
    expect(res.body.length).toBe(body.length);
    expect(res.body.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(res.body.headers['content-type']).toBe(`multipart/form-data; boundary=${boundary}`);
  });

  it('streams a chunked answer through whole', async () => {
    const res = await request(gateway.app)
      .get('/api/v1/tts/stream')
      .set('Authorization', signedIn().auth)
      .buffer(true)
      .parse((stream, done) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('audio/mpeg');
    const expected = Buffer.concat([0, 1, 2, 3, 4].map((n) => Buffer.alloc(1000, n)));
    expect(Buffer.compare(res.body as Buffer, expected)).toBe(0);
  });

  it('answers 401 without a token and never calls the service', async () => {
    const marker = `/api/v1/quizzes/${randomUUID()}`;
    const res = await request(gateway.app).get(marker);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'Unauthorized', request_id: expect.any(String) });
    expect(seen.some((s) => s.url === marker)).toBe(false);
  });

  it('answers 413 in the error body when the declared body is over the upload limit', async () => {
    const res = await request(gateway.app)
      .post('/api/v1/documents/upload')
      .set('Authorization', signedIn().auth)
      .set('Content-Type', 'application/octet-stream')
      .send(Buffer.alloc(1024 * 1024 + 2048));
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('PayloadTooLarge');
  });

  it('answers 503 naming the service when it is down', async () => {
    const res = await request(gateway.app).get('/api/v1/stt/transcriptions').set('Authorization', signedIn().auth);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: 'ServiceUnavailable', details: { service: 'stt' }, request_id: expect.any(String) });
  });

  it('answers 504 when the service does not answer within the request timeout', async () => {
    const res = await request(slowGateway.app).get('/api/v1/quizzes/slow').set('Authorization', signedIn(slowGateway).auth);
    expect(res.status).toBe(504);
    expect(res.body).toMatchObject({ error: 'GatewayTimeout', details: { service: 'quiz' }, request_id: expect.any(String) });
  });

  it('answers 408, not 504, when the client announces a body it never sends', async () => {
    const running = await serve(slowGateway.app);
    const answer = await rawHttpExchange(
      running.url,
      'POST /api/v1/chat/sessions HTTP/1.1\r\nHost: x\r\n' +
        `Authorization: ${signedIn(slowGateway).auth}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":1}`,
    ).finally(() => running.close());
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body)).toMatchObject({
      error: 'RequestTimeout',
      details: { expected_bytes: 100 },
      request_id: expect.any(String),
    });
  });

  it('answers 404 in the error body for a path no service owns', async () => {
    const res = await request(gateway.app).get('/api/v1/nothing-here').set('Authorization', signedIn().auth);
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('NotFound');
  });
});

describe('signed file links', () => {
  it('forwards /files/<service>/<key> to that service without a user token, rate limited per client', async () => {
    const res = await request(gateway.app).get('/files/document/u1/report.pdf?expires=1&sig=abc').set('X-User-ID', 'forged');
    expect(res.status).toBe(200);
    expect(res.body.url).toBe('/files/u1/report.pdf?expires=1&sig=abc');
    expect(res.body.headers['x-user-id']).toBeUndefined();
    expect(res.headers['x-ratelimit-limit']).toBe('100');
  });

  it('answers 404 for a service that does not exist', async () => {
    const res = await request(gateway.app).get('/files/billing/x');
    expect(res.status).toBe(404);
  });
});
