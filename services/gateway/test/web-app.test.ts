import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@learner/common/testing';
import { buildGateway, freshIp, newSecrets, uniquePrefix } from './gateway-harness.js';

let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase({ database: 'gateway', fromDir: import.meta.dirname });
  dir = mkdtempSync(join(tmpdir(), 'web-app-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Learner Platform</title><script type="module" src="/assets/app-1a2b.js"></script>');
  writeFileSync(join(dir, 'assets', 'app-1a2b.js'), 'console.log("app")');
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db?.drop();
});

function gatewayWith(webDir: string, mediaOrigins: string[] = []) {
  return buildGateway({ db, secrets: newSecrets(), redis: null, prefix: uniquePrefix(), webApp: { dir: webDir, mediaOrigins } }).app;
}

function directives(csp: string | undefined): Map<string, string> {
  return new Map(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(' ')[0]!, d.slice(d.indexOf(' ') + 1)] as [string, string]),
  );
}

describe('the web app at /', () => {
  it('serves the page with a policy that allows only its own scripts, styles and API calls', async () => {
    const res = await request(gatewayWith(dir, ['http://localhost:5000'])).get('/').set('X-Forwarded-For', freshIp());
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('<title>Learner Platform</title>');
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = directives(res.headers['content-security-policy']);
    expect(csp.get('default-src')).toBe("'none'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('style-src')).toBe("'self'");
    expect(csp.get('connect-src')).toBe("'self'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(csp.get('media-src')).toBe("'self' blob: http://localhost:5000");
    expect(res.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('serves its hashed assets to be cached for good, and 404 for an asset it does not have', async () => {
    const app = gatewayWith(dir);
    const asset = await request(app).get('/assets/app-1a2b.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toMatch(/immutable/);
    const missing = await request(app).get('/assets/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    const outside = await request(app).get('/assets/..%2findex.html');
    expect(outside.status).toBe(404);
  });

  it('says the app is not built, with the error body, when its folder is empty', async () => {
    const res = await request(gatewayWith(join(dir, 'absent'))).get('/');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: 'ServiceUnavailable', message: expect.stringContaining('pnpm build') });
  });

  it('leaves the API as it was: a call without a token still gets 401', async () => {
    const res = await request(gatewayWith(dir)).get('/api/v1/documents').set('X-Forwarded-For', freshIp());
    expect(res.status).toBe(401);
  });
});
