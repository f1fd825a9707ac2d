import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AccessClaims, AccessTokenService } from '@learner/common/auth';
import { withTransaction, type Pool, type Queryable } from '@learner/common/db';
import { ConflictError, UnauthenticatedError } from '@learner/common/errors';
import { burnPasswordCheck, hashPassword, verifyPassword } from './password-hasher.js';
import { createRefreshTokenRepository, type IssuedAccessToken } from './refresh-token-repository.js';
import type { TrafficControls } from '../traffic/traffic-controls.js';
import { createUserRepository, type User } from './user-repository.js';

export interface Session {
  user: User;
  token: string;
  refreshToken: string;
  expiresIn: number;
}

const LOGIN_FAILED = 'The email or password is not correct';
const REFRESH_FAILED = 'The refresh token is not valid';

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

type RefreshOutcome = { kind: 'ok'; session: Session } | { kind: 'invalid' } | { kind: 'reused'; access: IssuedAccessToken[] };

export function createAuthService(deps: {
  pool: Pool;
  accessTokens: AccessTokenService;
  traffic: Pick<TrafficControls, 'revoke'>;
  refreshTokenDays: number;
}) {
  const { pool, accessTokens, traffic } = deps;
  const refreshLifetimeMs = deps.refreshTokenDays * 86_400_000;

  /** A new access token plus a refresh token in `familyId`, recorded in the same transaction as its cause. */
  async function issueSession(db: Queryable, user: User, familyId: string): Promise<Session> {
    const { token, claims } = accessTokens.sign(user);
    const refreshToken = randomBytes(32).toString('base64url');
    await createRefreshTokenRepository(db).insert({
      userId: user.id,
      familyId,
      tokenHash: sha256(refreshToken),
      accessJti: claims.jti,
      accessExpiresAt: new Date(claims.exp * 1000),
      expiresAt: new Date(Date.now() + refreshLifetimeMs),
    });
    return { user, token, refreshToken, expiresIn: accessTokens.expiresInSeconds };
  }

  async function revokeAccessTokens(tokens: IssuedAccessToken[]): Promise<void> {
    await Promise.all(tokens.map((t) => traffic.revoke(t.jti, t.expiresAt.getTime())));
  }

  return {
    async register(input: { email: string; password: string; name: string | null }): Promise<Session> {
      const passwordHash = await hashPassword(input.password);
      return withTransaction(pool, async (client) => {
        const user = await createUserRepository(client).create({ email: input.email, name: input.name, passwordHash });
        if (!user) throw new ConflictError('An account with this email already exists', { field: 'email' });
        return issueSession(client, user, randomUUID());
      });
    },

    async login(input: { email: string; password: string }): Promise<Session> {
      const found = await createUserRepository(pool).findByEmail(input.email);
      if (!found) {
        await burnPasswordCheck(input.password);
        throw new UnauthenticatedError(LOGIN_FAILED);
      }
      if (!(await verifyPassword(input.password, found.passwordHash))) throw new UnauthenticatedError(LOGIN_FAILED);
      const { passwordHash: _hash, ...user } = found;
      return issueSession(pool, user, randomUUID());
    },

    /**
     * Rotates a refresh token. A token that was already rotated or revoked means it leaked (or the
     * session was ended): the whole family and its live access tokens are revoked.
     */
    async refresh(refreshToken: string): Promise<Session> {
      const outcome = await withTransaction(pool, async (client): Promise<RefreshOutcome> => {
        const tokens = createRefreshTokenRepository(client);
        const record = await tokens.findByHashForUpdate(sha256(refreshToken));
        if (!record) return { kind: 'invalid' };
        if (record.usedAt || record.revokedAt) return { kind: 'reused', access: await tokens.revokeFamily(record.familyId) };
        if (record.expiresAt.getTime() <= Date.now()) return { kind: 'invalid' };
        const user = await createUserRepository(client).findById(record.userId);
        if (!user) return { kind: 'invalid' };
        await tokens.markUsed(record.id);
        return { kind: 'ok', session: await issueSession(client, user, record.familyId) };
      });
      if (outcome.kind === 'ok') return outcome.session;
      if (outcome.kind === 'reused') {
        await revokeAccessTokens(outcome.access);
        throw new UnauthenticatedError('This refresh token was already used; the session has been ended');
      }
      throw new UnauthenticatedError(REFRESH_FAILED);
    },

    /** Ends the session the access token belongs to: the token itself and its refresh-token family. */
    async logout(claims: AccessClaims): Promise<void> {
      await traffic.revoke(claims.jti, claims.exp * 1000);
      const familyId = await createRefreshTokenRepository(pool).familyOfAccessToken(claims.jti);
      if (!familyId) return;
      await revokeAccessTokens(await createRefreshTokenRepository(pool).revokeFamily(familyId));
    },

    async currentUser(userId: string): Promise<User> {
      const user = await createUserRepository(pool).findById(userId);
      if (!user) throw new UnauthenticatedError('The account of this token no longer exists');
      return user;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
