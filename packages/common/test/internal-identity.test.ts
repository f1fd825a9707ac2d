import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createInternalTokens, createAccessTokens, requireInternalIdentity } from '../src/auth/index.js';
import { createBaseApp, finishApp, sendData } from '../src/http/index.js';
import { silentLogger } from '../src/logger/index.js';
import { testSecret } from '../src/testing/index.js';

const tokens = createInternalTokens({ secret: testSecret(), issuer: 'gateway' });
const app = createBaseApp({ logger: silentLogger() });
app.use('/api', requireInternalIdentity(tokens));
app.get('/api/me', (req, res) => sendData(res, req.user));
finishApp(app);

const user = { id: 'u-1', email: 'ada@example.com' };

describe('services accept only requests with a valid internal token', () => {
  it('lets a request with a valid token through as its user', async () => {
    const res = await request(app).get('/api/me').set(tokens.headersFor(user));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual(user);
  });

  it('answers 401 to a forged X-User-ID without a token', async () => {
    const res = await request(app).get('/api/me').set('X-User-ID', 'u-1');
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('Unauthorized');
  });

  it('answers 401 when X-User-ID names someone other than the token', async () => {
    const res = await request(app).get('/api/me').set({ ...tokens.headersFor(user), 'x-user-id': 'u-2' });
    expect(res.status).toBe(401);
  });

  it('answers 401 to a token signed with another secret, or a user access token', async () => {
    const other = createInternalTokens({ secret: testSecret(), issuer: 'gateway' });
    expect((await request(app).get('/api/me').set(other.headersFor(user))).status).toBe(401);
    const access = createAccessTokens({ secret: testSecret(), expiresInSeconds: 60 }).sign(user).token;
    expect((await request(app).get('/api/me').set('x-internal-token', access)).status).toBe(401);
  });
});
