import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the gateway at the HTTP boundary, for the app's component tests: each test says
 * how a route answers (status, body, headers), and the server records what it was sent. It speaks
 * CORS like the gateway, so a browser-like client (jsdom) on another origin can call it.
 */
export interface Recorded {
  method: string;
  path: string;
  authorization: string | undefined;
  body: string;
}

export type Answer = { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number };
export type Handler = (req: Recorded) => Answer;

export interface FakeGateway {
  url: string;
  requests: Recorded[];
  on(route: string, handler: Handler): void;
  close(): Promise<void>;
}

export async function startFakeGateway(): Promise<FakeGateway> {
  const routes = new Map<string, Handler>();
  const requests: Recorded[] = [];
  const cors = (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
    res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type, accept');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
    res.setHeader('Access-Control-Expose-Headers', 'Retry-After, X-Request-ID');
  };
  const server = createServer((req, res) => {
    cors(req, res);
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const recorded: Recorded = { method: req.method ?? 'GET', path: req.url ?? '/', authorization: req.headers.authorization, body: Buffer.concat(chunks).toString('latin1') };
      requests.push(recorded);
      const handler = routes.get(`${recorded.method} ${path}`);
      const answer: Answer = handler
        ? handler(recorded)
        : { status: 404, body: { error: 'NotFound', message: `No route ${recorded.method} ${path}`, details: {} } };
      const send = () => {
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on: (route, handler) => routes.set(route, handler),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** A JWT-shaped token (unsigned: the app never verifies, only reads `exp`). */
export function fakeToken(name: string, expiresAtSeconds: number): string {
  const part = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: name, exp: expiresAtSeconds })}.${name}`;
}

export function success(data: unknown, status = 200): Answer {
  return { status, body: { status: 'success', data, timestamp: new Date().toISOString() } };
}

export function failure(status: number, error: string, message: string, details: Record<string, unknown> = {}, headers: Record<string, string> = {}): Answer {
  return { status, body: { error, message, details, request_id: 'req-1', timestamp: new Date().toISOString() }, headers };
}

/** Storage in memory, for the session store outside a browser. */
export function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, v),
  };
}
