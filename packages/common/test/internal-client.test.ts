import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createInternalTokens } from '../src/auth/index.js';
import { AppError } from '../src/errors/index.js';
import { closeServer } from '../src/http/index.js';
import { createInternalClient, InternalCallError } from '../src/internal-client/index.js';
import { freePortRange, testSecret } from '../src/testing/index.js';

/** A service that answers each path its own way, and remembers what it was asked. */
let server: Server;
let baseUrl: string;
const seen: { url: string; method: string; body: string; user: string | undefined; token: boolean }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ url: req.url!, method: req.method!, body, user: req.headers['x-user-id'] as string | undefined, token: Boolean(req.headers['x-internal-token']) });
      const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      const path = req.url!.split('?')[0];
      if (path === '/ok') return json(200, { status: 'success', data: { n: 1 } });
      if (path === '/slow') return void setTimeout(() => json(200, { status: 'success', data: { n: 1 } }), 1000);
      if (path === '/refused') return json(409, { error: 'Conflict', message: 'not yet', details: { status: 'processing' }, request_id: 'r' });
      if (path === '/unauthorized') return json(401, { error: 'Unauthorized', message: 'bad token', details: {}, request_id: 'r' });
      if (path === '/broken') return json(500, { error: 'InternalError', message: 'SELECT failed at line 3', details: {}, request_id: 'r' });
      if (path === '/busy') return json(503, { error: 'ServiceUnavailable', message: 'database down', details: {}, request_id: 'r' });
      if (path === '/html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>proxy</html>');
      return json(200, { status: 'success', data: { n: 'one' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => closeServer(server));

const tokens = createInternalTokens({ secret: testSecret(), issuer: 'chat' });
const user = { id: 'user-7', email: 'u7@example.test' };
const answer = z.object({ data: z.object({ n: z.number() }) });
const client = () => createInternalClient({ service: 'document', baseUrl, timeoutMs: 300, internalTokens: tokens });

async function failure(path: string): Promise<AppError> {
  const err = await client().request({ user, path, response: answer }).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('the internal client', () => {
  it('sends the query and JSON body with the user and an internal token, and gives back the checked answer', async () => {
    const data = await client().request({ user, requestId: 'req-9', method: 'POST', path: '/ok', query: { q: 'a b' }, body: { title: 'T' }, response: answer });
    expect(data.data.n).toBe(1);
    expect(seen.at(-1)).toEqual({ url: '/ok?q=a+b', method: 'POST', body: '{"title":"T"}', user: 'user-7', token: true });
  });

  it('passes a refusal on with its status, type, message and details', async () => {
    const err = await failure('/refused');
    expect(err).not.toBeInstanceOf(InternalCallError);
    expect({ status: err.status, type: err.type, message: err.message, details: err.details }).toEqual({
      status: 409,
      type: 'Conflict',
      message: 'not yet',
      details: { status: 'processing' },
    });
  });

  const cases: [string, string, number, string][] = [
    ['no answer in time', '/slow', 503, 'timeout'],
    ['its own 503', '/busy', 503, 'bad_status'],
    ['a 500', '/broken', 502, 'bad_status'],
    ['a 401 (this service’s identity is wrong, not the caller’s)', '/unauthorized', 502, 'bad_status'],
    ['a body that is not JSON', '/html', 502, 'bad_answer'],
    ['a body of the wrong shape', '/shape', 502, 'bad_answer'],
  ];
  for (const [what, path, status, reason] of cases) {
    it(`answers ${status} naming the dependency for ${what}, never with the other service's words`, async () => {
      const err = await failure(path);
      expect(err).toBeInstanceOf(InternalCallError);
      expect(err.status).toBe(status);
      expect(err.details).toMatchObject({ dependency: 'document', reason });
      expect(err.message).toMatch(/^The document service /);
      expect(err.message).not.toMatch(/SELECT|database|proxy/);
    });
  }

  it('answers 503 when nothing listens', async () => {
    const port = await freePortRange(1);
    const down = createInternalClient({ service: 'document', baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 1000, internalTokens: tokens });
    const err = await down.request({ user, path: '/ok', response: answer }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(InternalCallError);
    expect((err as InternalCallError).status).toBe(503);
    expect((err as InternalCallError).reason).toBe('unreachable');
  });

  it('with several replicas, calls them in turn and passes over one that refuses the connection', async () => {
    const port = await freePortRange(1);
    const before = seen.length;
    const replicas = createInternalClient({ service: 'document', baseUrl: `${baseUrl},http://127.0.0.1:${port}`, timeoutMs: 1000, internalTokens: tokens });
    for (let i = 0; i < 4; i++) {
      await expect(replicas.request({ user, method: 'POST', path: '/ok', body: { call: i }, response: answer })).resolves.toEqual({ data: { n: 1 } });
    }
    // Every call reached the live replica exactly once: none lost, none sent twice.
    expect(seen.slice(before).map((s) => s.body)).toEqual([0, 1, 2, 3].map((call) => JSON.stringify({ call })));
  });
});
