import { describe, expect, it } from 'vitest';
import { createAccessTokens } from '../src/auth/index.js';
import { testSecret } from '../src/testing/index.js';

describe('user access tokens', () => {
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
});
