import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, freePortRange, type TestDatabase } from '@learner/common/testing';
import { createReadinessChecks } from '../src/readiness-checks.js';
import { buildGateway, CLOSED_URL, newSecrets, type TestGateway } from './gateway-harness.js';

let db: TestDatabase;
const replicas: Server[] = [];
const urls: string[] = [];
const secrets = newSecrets();

/** A replica of the document service that says which replica it is and what it received. */
async function replica(name: string, port = 0): Promise<string> {
  const server = createServer((req, res) => {
    let length = 0;
    req.on('data', (chunk: Buffer) => (length += chunk.length));
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ replica: name, method: req.method, length }));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  replicas.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function gatewayOver(document: string): TestGateway {
  return buildGateway({ db, secrets, redis: null, prefix: '', services: { document } });
}

function auth(gateway: TestGateway): string {
  return `Bearer ${gateway.accessTokens.sign({ id: randomUUID(), email: `${randomUUID()}@example.com` }).token}`;
}

/** Which replica answered each of `count` calls in a row. */
async function listReplicas(gateway: TestGateway, count: number): Promise<string[]> {
  const token = auth(gateway);
  const answered: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await request(gateway.app).get('/api/v1/documents').set('Authorization', token);
    expect(res.status).toBe(200);
    answered.push((res.body as { replica: string }).replica);
  }
  return answered;
}

beforeAll(async () => {
  db = await createTestDatabase({ database: 'gateway', fromDir: import.meta.dirname });
  urls.push(await replica('a'), await replica('b'));
});

afterAll(async () => {
  for (const server of replicas) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await db?.drop();
});

describe('a service with several replicas', () => {
  it('spreads the calls over the replicas in turn', async () => {
    const answered = await listReplicas(gatewayOver(urls.join(',')), 6);
    expect(answered).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
  });

  it('skips a replica that refuses connections: no call fails, the others share them', async () => {
    const gateway = gatewayOver([urls[0], CLOSED_URL, urls[1]].join(','));
    const token = auth(gateway);
    const answered = await listReplicas(gateway, 6);
    expect(answered.filter((r) => r === 'a')).toHaveLength(3);
    expect(answered.filter((r) => r === 'b')).toHaveLength(3);
    // An upload is not sent twice: once the down replica is known, uploads go to the live ones whole.
    for (let i = 0; i < 4; i++) {
      const res = await request(gateway.app).post('/api/v1/documents').set('Authorization', token).send({ text: 'x'.repeat(1000) });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ method: 'POST', length: 1011 });
    }
  });

  it('takes a replica back into the rotation once it accepts connections again', async () => {
    const port = await freePortRange(1);
    const gateway = gatewayOver(`${urls[0]},http://127.0.0.1:${port}`);
    expect(await listReplicas(gateway, 4)).toEqual(['a', 'a', 'a', 'a']);
    await replica('c', port);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await listReplicas(gateway, 4)).toEqual(expect.arrayContaining(['a', 'c']));
  });

  it('answers 503 naming the service when every replica refuses, and the learner may retry', async () => {
    const gateway = gatewayOver(`${CLOSED_URL},http://127.0.0.1:1`);
    const res = await request(gateway.app).get('/api/v1/documents').set('Authorization', auth(gateway));
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: 'ServiceUnavailable', details: { service: 'document' } });
  });

  it('counts the service ready while one of its replicas answers /health, not when none does', async () => {
    const services = { tts: CLOSED_URL, stt: CLOSED_URL, chat: CLOSED_URL, quiz: CLOSED_URL, document: `${CLOSED_URL},${urls[0]}` };
    const checks = createReadinessChecks({ pool: db.pool, services, timeoutMs: 1000 });
    await expect(checks.document!()).resolves.toBeUndefined();
    await expect(checks.quiz!()).rejects.toThrow(/ECONNREFUSED|fetch failed/);
  });
});
