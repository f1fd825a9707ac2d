import { IncomingMessage, ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createBaseApp, finishApp, listen, closeServer } from '../src/http/index.js';
import { silentLogger } from '../src/logger/index.js';
import { rawHttpExchange } from '../src/testing/index.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => closeServer(server)));
});

function appUnderTest() {
  const app = createBaseApp({ logger: silentLogger() });
  app.get('/whoami', (req, res) => {
    res.status(201).json({
      agent: req.get('user-agent'),
      ip: req.ip,
      query: req.query,
      // Express swaps each request's prototype to app.request; the server builds them with it already.
      prototypeInPlace: Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response,
      nodeClasses: req instanceof IncomingMessage && res instanceof ServerResponse,
    });
  });
  return finishApp(app);
}

async function start(app: ReturnType<typeof appUnderTest>): Promise<string> {
  const server = await listen(app, 0, '127.0.0.1');
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('listen()', () => {
  it('serves the app with every express helper working on requests built with its prototypes', async () => {
    const base = await start(appUnderTest());
    const res = await fetch(`${base}/whoami?level=easy`, { headers: { 'User-Agent': 'learner-cli/1.0' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    expect(await res.json()).toEqual({
      agent: 'learner-cli/1.0',
      ip: '127.0.0.1',
      query: { level: 'easy' },
      prototypeInPlace: true,
      nodeClasses: true,
    });
  });

  it('answers errors in the error body, and serves one app on two servers', async () => {
    const app = appUnderTest();
    const [first, second] = [await start(app), await start(app)];
    for (const base of [first, second]) {
      const res = await fetch(`${base}/nowhere`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: 'NotFound', message: 'No route for GET /nowhere' });
      expect(await (await fetch(`${base}/whoami`)).json()).toMatchObject({ prototypeInPlace: true });
    }
  });
});

describe('requests the HTTP parser refuses', () => {
  it('answers them in the error body with a request id, not an empty page', async () => {
    const base = await start(appUnderTest());
    const cases: Array<[string, number, string]> = [
      ['FOO /whoami HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'BadRequest'],
      [`GET /whoami HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'HeadersTooLarge'],
      ['POST /whoami HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n', 400, 'BadRequest'],
      ['POST /whoami HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400, 'BadRequest'],
    ];
    for (const [request, status, type] of cases) {
      const answer = await rawHttpExchange(base, request);
      expect(answer.status).toBe(status);
      expect(answer.head).toMatch(/^Content-Type: application\/json/im);
      const requestId = /^X-Request-ID: (\S+)/im.exec(answer.head)?.[1];
      expect(requestId).toMatch(/^req_/);
      expect(JSON.parse(answer.body)).toMatchObject({ error: type, message: expect.any(String), request_id: requestId });
    }
    // The server is still there for well-formed requests.
    expect((await fetch(`${base}/whoami`)).status).toBe(201);
  });
});
