import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createBaseApp, finishApp } from '../src/http/index.js';
import { silentLogger } from '../src/logger/index.js';
import { ServiceUnavailableError } from '../src/errors/index.js';
import { createLocalFileRouter, createLocalStorage, createS3Storage, ObjectNotFoundError } from '../src/storage/index.js';
import { requireInfra, testSecret } from '../src/testing/index.js';

describe('local folder storage', async () => {
  const root = await mkdtemp(join(tmpdir(), 'storage-'));
  afterAll(() => rm(root, { recursive: true, force: true }));
  const secret = testSecret();
  const storage = createLocalStorage({ root, publicBaseUrl: 'http://localhost:5000/files/document', signingSecret: secret });
  const app = createBaseApp({ logger: silentLogger() });
  app.use('/files/document', createLocalFileRouter(storage, secret));
  finishApp(app);
  const bytes = randomBytes(4096);

  it('serves the exact bytes through a signed link, with the content type', async () => {
    await storage.put('users/u1/a b.bin', bytes, { contentType: 'application/pdf' });
    const { url, expires_at } = await storage.signedUrl('users/u1/a b.bin', { downloadName: 'notes.pdf' });
    expect(Date.parse(expires_at)).toBeGreaterThan(Date.now());
    const path = new URL(url).pathname + new URL(url).search;
    const res = await request(app).get(path).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain('notes.pdf');
    expect(Buffer.compare(res.body as Buffer, bytes)).toBe(0);
  });

  it('refuses a tampered or expired link with 403', async () => {
    await storage.put('users/u1/b.txt', Buffer.from('hi'), { contentType: 'text/plain' });
    const { url } = await storage.signedUrl('users/u1/b.txt');
    const u = new URL(url);
    const other = `/files/document/users/u1/a%20b.bin${u.search}`;
    expect((await request(app).get(other)).status).toBe(403);
    const expired = await storage.signedUrl('users/u1/b.txt', { expiresInSeconds: -5 });
    const e = new URL(expired.url);
    const res = await request(app).get(e.pathname + e.search);
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/expired/);
  });

  it('forgets a deleted object', async () => {
    await storage.put('users/u1/c.txt', Buffer.from('x'), { contentType: 'text/plain' });
    await storage.delete('users/u1/c.txt');
    expect(await storage.exists('users/u1/c.txt')).toBe(false);
    await expect(storage.get('users/u1/c.txt')).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('removes the folders a delete leaves empty, and only those', async () => {
    await storage.put('users/u7/docs/one.txt', Buffer.from('1'), { contentType: 'text/plain' });
    await storage.put('users/u8/docs/two.txt', Buffer.from('2'), { contentType: 'text/plain' });
    await storage.delete('users/u7/docs/one.txt');
    expect(existsSync(join(root, 'users', 'u7'))).toBe(false);
    expect(existsSync(join(root, 'users', 'u8', 'docs', 'two.txt'))).toBe(true);
    expect(existsSync(root)).toBe(true);
    // The folder comes back for the next file.
    await storage.put('users/u7/docs/three.txt', Buffer.from('3'), { contentType: 'text/plain' });
    expect((await storage.get('users/u7/docs/three.txt')).toString()).toBe('3');
  });

  it('rejects keys that could leave its folder', async () => {
    await expect(storage.put('../escape', Buffer.from('x'), { contentType: 'text/plain' })).rejects.toThrow(/Unsafe/);
  });
});

describe('S3 storage against the moto server', () => {
  const storage = createS3Storage({
    bucket: `test-${randomBytes(4).toString('hex')}`,
    region: 'us-east-1',
    endpoint: requireInfra('MOTO_ENDPOINT'),
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    createBucket: true,
  });

  it('uploads, downloads through a presigned URL, and deletes', async () => {
    const bytes = randomBytes(10_000);
    await storage.put('users/u1/doc.pdf', bytes, { contentType: 'application/pdf' });
    expect(Buffer.compare(await storage.get('users/u1/doc.pdf'), bytes)).toBe(0);
    const { url } = await storage.signedUrl('users/u1/doc.pdf', { expiresInSeconds: 60 });
    expect(url).toContain('X-Amz-Signature');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), bytes)).toBe(0);
    await storage.delete('users/u1/doc.pdf');
    expect(await storage.exists('users/u1/doc.pdf')).toBe(false);
    await expect(storage.get('users/u1/doc.pdf')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(storage.check()).resolves.toBeUndefined();
  });
});

describe('S3 storage whose endpoint accepts connections and never answers', () => {
  it('gives up after its request timeout with a 503 naming storage, instead of hanging', async () => {
    const sockets: Socket[] = [];
    const stalled = createServer((socket) => {
      sockets.push(socket);
      socket.resume();
    });
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    try {
      const storage = createS3Storage({
        bucket: 'stalled',
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${(stalled.address() as AddressInfo).port}`,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        requestTimeoutMs: 300,
      });
      const started = Date.now();
      const put = storage.put('users/u1/doc.pdf', Buffer.from('%PDF-1.4'), { contentType: 'application/pdf' });
      await expect(put).rejects.toBeInstanceOf(ServiceUnavailableError);
      await expect(put).rejects.toMatchObject({ status: 503, message: 'Object storage is not answering; try again later' });
      await expect(storage.get('users/u1/doc.pdf')).rejects.toBeInstanceOf(ServiceUnavailableError);
      // Two attempts of 300 ms each and a back-off, not an open-ended wait.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => stalled.close(() => resolve()));
    }
  });
});
