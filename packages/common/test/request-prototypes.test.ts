import { createServer as createPlainServer, IncomingMessage, ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { closeServer, createServer } from '../src/http/index.js';

// The gateway's throughput rests on this (packages/common/src/http/server.ts): requests and
// responses are constructed with express's prototypes already in place, so express never changes
// an object's prototype while it serves it (a changed prototype sends every later step of Node's
// HTTP code down its slow path). An express upgrade that builds its request objects another way
// must fail here, not only show in bench/gateway.

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => closeServer(server)));
});

/** Prototype changes made to a request or response while `run` serves one request. */
async function prototypeChangesWhileServing(serve: (app: Express) => Server): Promise<{ changes: string[]; answer: unknown }> {
  const app = express();
  app.get('/echo', (req, res) => {
    res.status(200).json({ agent: req.get('user-agent'), query: req.query, isRequest: req instanceof IncomingMessage });
  });
  const server = serve(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const changes: string[] = [];
  const original = Object.setPrototypeOf;
  Object.setPrototypeOf = function (target: object, proto: object | null) {
    if ((target instanceof IncomingMessage || target instanceof ServerResponse) && Object.getPrototypeOf(target) !== proto) {
      changes.push(target instanceof IncomingMessage ? 'request' : 'response');
    }
    return original(target, proto);
  } as typeof Object.setPrototypeOf;
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/echo?level=easy`, {
      headers: { 'User-Agent': 'learner-cli/1.0' },
    });
    return { changes, answer: await res.json() };
  } finally {
    Object.setPrototypeOf = original;
  }
}

describe('requests and responses built with the app’s prototypes', () => {
  it('are never given another prototype by express while it serves them, and every express helper works', async () => {
    const { changes, answer } = await prototypeChangesWhileServing((app) => createServer(app));
    expect(changes).toEqual([]);
    expect(answer).toEqual({ agent: 'learner-cli/1.0', query: { level: 'easy' }, isRequest: true });
  });

  it('is a check that can fail: a plain Node server lets express swap both prototypes on every request', async () => {
    const { changes } = await prototypeChangesWhileServing((app) => createPlainServer(app));
    expect(changes.sort()).toEqual(['request', 'response']);
  });
});
