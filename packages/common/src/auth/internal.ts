import { createSecretKey, type KeyObject } from 'node:crypto';
import type { RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import { UnauthenticatedError } from '../errors/index.js';
import type { RequestUser } from '../http/types.js';
import { asOwner } from '../db/owner.js';

export const INTERNAL_TOKEN_HEADER = 'x-internal-token';
const AUDIENCE = 'learner-internal';

export interface InternalTokens {
  sign(user: RequestUser): string;
  verify(token: string): RequestUser;
  /** Headers for a call made on behalf of `user` (gateway to service, or service to service). */
  headersFor(user: RequestUser, requestId?: string): Record<string, string>;
}

/**
 * Short-lived tokens that prove a request came through the gateway (or another service) and
 * name the user it acts for. Signed with a secret that is not the user-token secret.
 */
export function createInternalTokens(options: { secret: string; ttlSeconds?: number; issuer: string }): InternalTokens {
  const key: KeyObject = createSecretKey(Buffer.from(options.secret, 'utf8'));
  const ttl = options.ttlSeconds ?? 60;
  const sign = (user: RequestUser): string =>
    jwt.sign({ email: user.email }, key, {
      algorithm: 'HS256',
      subject: user.id,
      audience: AUDIENCE,
      issuer: options.issuer,
      expiresIn: ttl,
    });
  return {
    sign,
    verify(token) {
      try {
        const decoded = jwt.verify(token, key, { algorithms: ['HS256'], audience: AUDIENCE });
        if (typeof decoded === 'string' || typeof decoded.sub !== 'string') throw new Error('bad claims');
        const email = (decoded as { email?: unknown }).email;
        return { id: decoded.sub, email: typeof email === 'string' ? email : '' };
      } catch {
        throw new UnauthenticatedError('A valid internal token is required');
      }
    },
    headersFor(user, requestId) {
      const headers: Record<string, string> = {
        [INTERNAL_TOKEN_HEADER]: sign(user),
        'x-user-id': user.id,
        'x-user-email': user.email,
      };
      if (requestId) headers['x-request-id'] = requestId;
      return headers;
    },
  };
}

/**
 * Accepts a request only with a valid internal token; the X-User-ID header, when sent, must name
 * the same user, so a forged header alone gets 401.
 */
export function requireInternalIdentity(tokens: InternalTokens): RequestHandler {
  return (req, _res, next) => {
    const token = req.get(INTERNAL_TOKEN_HEADER);
    if (!token) {
      next(new UnauthenticatedError('A valid internal token is required'));
      return;
    }
    const user = tokens.verify(token);
    const claimed = req.get('x-user-id');
    if (claimed !== undefined && claimed !== user.id) {
      next(new UnauthenticatedError('The user header does not match the internal token'));
      return;
    }
    req.user = user;
    // The database connections this request asks for are shared out in turn with other users'.
    asOwner(user.id, next);
  };
}

/** The authenticated user of a request that passed requireInternalIdentity. */
export function currentUser(req: { user?: RequestUser | undefined }): RequestUser {
  if (!req.user) throw new UnauthenticatedError();
  return req.user;
}
