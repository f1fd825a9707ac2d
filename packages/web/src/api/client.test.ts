import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSessionStore, type SessionStore } from '../auth/session-store.js';
import { failure, fakeToken, memoryStorage, startFakeGateway, success, type FakeGateway } from '../testing/fake-gateway.js';
import { createApiClient, tokenExpiry } from './client.js';
import { ApiError, describeError } from './errors.js';

const user = { id: 'u1', email: 'ada@example.com', name: 'Ada' };
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

let gateway: FakeGateway;
let store: SessionStore;

beforeEach(async () => {
  gateway = await startFakeGateway();
  store = createSessionStore(memoryStorage());
});
afterEach(() => gateway.close());

function refreshGives(token: string, refreshToken = 'refresh-2') {
  gateway.on('POST /api/v1/auth/refresh', (req) =>
    JSON.parse(req.body).refresh_token === 'refresh-1'
      ? success({ user, token, refresh_token: refreshToken, expires_in: 86400 })
      : failure(401, 'Unauthenticated', 'The refresh token is not valid'),
  );
}

describe('the token', () => {
  it('when a call gets 401, refreshes once with the refresh token, retries it and keeps the new pair', async () => {
    const stale = fakeToken('stale', inAnHour());
    const fresh = fakeToken('fresh', inAnHour());
    store.set({ token: stale, refreshToken: 'refresh-1', user });
    refreshGives(fresh);
    gateway.on('GET /api/v1/documents', (req) =>
      req.authorization === `Bearer ${fresh}` ? success([{ id: 1 }]) : failure(401, 'Unauthenticated', 'Token revoked'),
    );
    const api = createApiClient({ baseUrl: gateway.url, session: store });

    const { data } = await api.list<{ id: number }>('/api/v1/documents');

    expect(data).toEqual([{ id: 1 }]);
    expect(gateway.requests.map((r) => r.path)).toEqual(['/api/v1/documents', '/api/v1/auth/refresh', '/api/v1/documents']);
    expect(store.get()).toMatchObject({ token: fresh, refreshToken: 'refresh-2' });
  });

  it('refreshes a token about to expire before the call, so the server never sees it expired', async () => {
    const expiring = fakeToken('expiring', Math.floor(Date.now() / 1000) + 10);
    const fresh = fakeToken('fresh', inAnHour());
    store.set({ token: expiring, refreshToken: 'refresh-1', user });
    refreshGives(fresh);
    gateway.on('GET /api/v1/auth/me', (req) => success({ valid: true, user, sent: req.authorization }));
    const api = createApiClient({ baseUrl: gateway.url, session: store });

    const me = await api.get<{ sent: string }>('/api/v1/auth/me');

    expect(me.sent).toBe(`Bearer ${fresh}`);
    expect(gateway.requests.filter((r) => r.path === '/api/v1/auth/refresh')).toHaveLength(1);
  });

  it('calls made at once while the token is refreshed share one refresh', async () => {
    const stale = fakeToken('stale', inAnHour());
    const fresh = fakeToken('fresh', inAnHour());
    store.set({ token: stale, refreshToken: 'refresh-1', user });
    refreshGives(fresh);
    gateway.on('GET /api/v1/quizzes', (req) => (req.authorization === `Bearer ${fresh}` ? success([]) : failure(401, 'Unauthenticated', 'Token expired')));
    const api = createApiClient({ baseUrl: gateway.url, session: store });

    await Promise.all([api.list('/api/v1/quizzes'), api.list('/api/v1/quizzes'), api.list('/api/v1/quizzes')]);

    expect(gateway.requests.filter((r) => r.path === '/api/v1/auth/refresh')).toHaveLength(1);
  });

  it('when the refresh token is refused too, ends the session and says to sign in again', async () => {
    store.set({ token: fakeToken('stale', inAnHour()), refreshToken: 'revoked', user });
    refreshGives(fakeToken('never', inAnHour()));
    gateway.on('GET /api/v1/documents', () => failure(401, 'Unauthenticated', 'Token revoked'));
    const api = createApiClient({ baseUrl: gateway.url, session: store });

    const err = await api.list('/api/v1/documents').catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ApiError);
    expect(describeError(err)).toBe('Your session has ended. Sign in again.');
    expect(store.get()).toBeNull();
  });

  it('signing out tells the server with the token, and the app forgets the session', async () => {
    const token = fakeToken('t', inAnHour());
    store.set({ token, refreshToken: 'refresh-1', user });
    gateway.on('POST /api/v1/auth/logout', () => success({ message: 'Logged out' }));
    const api = createApiClient({ baseUrl: gateway.url, session: store });

    await api.signOut();

    expect(gateway.requests).toEqual([expect.objectContaining({ method: 'POST', path: '/api/v1/auth/logout', authorization: `Bearer ${token}` })]);
    expect(store.get()).toBeNull();
  });

  it('signing in keeps the pair the server gave', async () => {
    const token = fakeToken('t', inAnHour());
    gateway.on('POST /api/v1/auth/login', () => success({ user, token, refresh_token: 'r', expires_in: 86400 }));
    const api = createApiClient({ baseUrl: gateway.url, session: store });
    await api.signIn('ada@example.com', 'correct horse');
    expect(store.get()).toEqual({ token, refreshToken: 'r', user });
    expect(tokenExpiry(token)).toBeGreaterThan(Date.now() / 1000);
  });
});

describe('errors a learner can act on', () => {
  it('429 says how long to wait, from Retry-After', async () => {
    gateway.on('GET /api/v1/quizzes', () => failure(429, 'RateLimited', 'Too many requests', { retry_after: 17 }, { 'Retry-After': '17' }));
    const api = createApiClient({ baseUrl: gateway.url, session: store });
    const err = await api.list('/api/v1/quizzes').catch((e: unknown) => e);
    expect(describeError(err)).toBe('Too many requests. Wait 17 seconds and try again.');
  });

  it('413 names the size limit, 415 the accepted types', async () => {
    gateway.on('POST /api/v1/documents/upload', () => failure(413, 'PayloadTooLarge', 'The request body is too large', { limit_bytes: 10_485_760 }));
    gateway.on('POST /api/v1/stt/transcribe', () =>
      failure(415, 'UnsupportedMediaType', 'The file is not audio of an accepted type', { accepted: ['wav', 'mp3', 'ogg'] }),
    );
    const api = createApiClient({ baseUrl: gateway.url, session: store });
    const tooLarge = await api.post('/api/v1/documents/upload').catch((e: unknown) => e);
    const wrongType = await api.post('/api/v1/stt/transcribe').catch((e: unknown) => e);
    expect(describeError(tooLarge)).toBe('The file is too large: the limit is 10 MB.');
    expect(describeError(wrongType)).toBe('This type of file is not accepted. Accepted: wav, mp3, ogg.');
    expect(describeError(new ApiError(415, 'UnsupportedMediaType', 'no', {}), 'PDF or text')).toBe('This type of file is not accepted. Accepted: PDF or text.');
  });

  it('a server that cannot be reached, and one that fails, each get a sentence, never a blank', async () => {
    const api = createApiClient({ baseUrl: 'http://127.0.0.1:9', session: store });
    expect(describeError(await api.get('/api/v1/documents').catch((e: unknown) => e))).toBe('Cannot reach the server. Check your connection and try again.');
    gateway.on('GET /api/v1/documents', () => ({ status: 502, body: '<html>bad gateway</html>' }));
    const failing = createApiClient({ baseUrl: gateway.url, session: store });
    expect(describeError(await failing.get('/api/v1/documents').catch((e: unknown) => e))).toMatch(/^The server could not do this right now \(502\)/);
    expect(describeError(new TypeError('x is undefined'))).toMatch(/Reload the page/);
  });
});
