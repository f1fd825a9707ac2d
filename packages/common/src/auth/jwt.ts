import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { UnauthenticatedError } from '../errors/index.js';

export interface AccessClaims {
  user_id: string;
  email: string;
  jti: string;
  iat: number;
  exp: number;
}

export interface AccessTokenService {
  sign(user: { id: string; email: string }): { token: string; claims: AccessClaims };
  verify(token: string): AccessClaims;
  readonly expiresInSeconds: number;
}

// Bounds the memory of the verified-token cache; clearing it only costs a re-verification each.
const VERIFIED_CACHE_SIZE = 10_000;

/**
 * HS256 access tokens. The secret is a KeyObject: given a string, jsonwebtoken first tries it as
 * a public key on every verify, which costs about 0.4 ms a call.
 */
export function createAccessTokens(options: { secret: string; expiresInSeconds: number }): AccessTokenService {
  const key: KeyObject = createSecretKey(Buffer.from(options.secret, 'utf8'));
  /*
   * A client sends the same token on every call, and decoding plus the HMAC was the largest piece of
   * the gateway's own work per request. The same string verified once stays valid until it expires,
   * so only the expiry is checked again (as jsonwebtoken does it); an expired entry falls through to
   * a full verify, which gives the usual error.
   */
  const verified = new Map<string, AccessClaims>();
  return {
    expiresInSeconds: options.expiresInSeconds,
    sign(user) {
      const now = Math.floor(Date.now() / 1000);
      const claims: AccessClaims = {
        user_id: user.id,
        email: user.email,
        jti: randomUUID(),
        iat: now,
        exp: now + options.expiresInSeconds,
      };
      // No noTimestamp: it would delete the iat claim that verify() requires.
      return { token: jwt.sign(claims, key, { algorithm: 'HS256' }), claims };
    },
    verify(token) {
      const cached = verified.get(token);
      if (cached) {
        if (Math.floor(Date.now() / 1000) < cached.exp) return { ...cached };
        verified.delete(token);
      }
      let decoded: unknown;
      try {
        decoded = jwt.verify(token, key, { algorithms: ['HS256'] });
      } catch (err) {
        const expired = err instanceof jwt.TokenExpiredError;
        throw new UnauthenticatedError(expired ? 'The token has expired' : 'The token is not valid');
      }
      if (!isAccessClaims(decoded)) throw new UnauthenticatedError('The token is not valid');
      if (verified.size >= VERIFIED_CACHE_SIZE) verified.clear();
      verified.set(token, { ...decoded });
      return decoded;
    },
  };
}

function isAccessClaims(value: unknown): value is AccessClaims {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c.user_id === 'string' &&
    typeof c.email === 'string' &&
    typeof c.jti === 'string' &&
    typeof c.exp === 'number' &&
    typeof c.iat === 'number'
  );
}

/** Reads `Authorization: Bearer <token>`; undefined when absent or not a bearer header. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
