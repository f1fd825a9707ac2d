import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAccessTokens } from '../src/auth/index.js';
import { testSecret } from '../src/testing/index.js';

describe('user access tokens', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('verifies a token it signed and returns the signed claims', () => {
    const tokens = createAccessTokens({ secret: testSecret(), expiresInSeconds: 60 });
    const { token, claims } = tokens.sign({ id: 'u-1', email: 'ada@example.com' });
    expect(tokens.verify(token)).toEqual(claims);
    expect(claims.exp - claims.iat).toBe(60);
  });

  it('refuses a token signed with another secret', () => {
    const token = createAccessTokens({ secret: testSecret(), expiresInSeconds: 60 }).sign({ id: 'u-1', email: 'a@b.c' }).token;
    expect(() => createAccessTokens({ secret: testSecret(), expiresInSeconds: 60 }).verify(token)).toThrow(/not valid/);
  });

  it('refuses a token that expired after it was last verified', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const tokens = createAccessTokens({ secret: testSecret(), expiresInSeconds: 60 });
    const { token } = tokens.sign({ id: 'u-1', email: 'ada@example.com' });
    expect(tokens.verify(token).user_id).toBe('u-1');
    vi.setSystemTime(Date.now() + 61_000);
    expect(() => tokens.verify(token)).toThrow(/expired/);
  });

  it('hands out claims that a caller changing them cannot alter for the next request', () => {
    const tokens = createAccessTokens({ secret: testSecret(), expiresInSeconds: 60 });
    const { token } = tokens.sign({ id: 'u-1', email: 'ada@example.com' });
    tokens.verify(token).user_id = 'someone-else';
    expect(tokens.verify(token).user_id).toBe('u-1');
  });
});
