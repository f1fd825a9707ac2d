import type { Queryable } from '@learner/common/db';

export interface RefreshTokenRecord {
  id: string;
  userId: string;
  familyId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

/** An access token issued with a refresh token, still to be revoked when its family is. */
export interface IssuedAccessToken {
  jti: string;
  expiresAt: Date;
}

interface RefreshTokenRow {
  id: string;
  user_id: string;
  family_id: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

export function createRefreshTokenRepository(db: Queryable) {
  return {
    async insert(input: {
      userId: string;
      familyId: string;
      tokenHash: string;
      accessJti: string;
      accessExpiresAt: Date;
      expiresAt: Date;
    }): Promise<void> {
      await db.query(
        `INSERT INTO refresh_tokens (user_id, family_id, token_hash, access_jti, access_expires_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [input.userId, input.familyId, input.tokenHash, input.accessJti, input.accessExpiresAt, input.expiresAt],
      );
    },

    /** Locks the row, so two refreshes with one token are serialised and the second sees it used. */
    async findByHashForUpdate(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
      const { rows } = await db.query<RefreshTokenRow>(
        `SELECT id, user_id, family_id, expires_at, used_at, revoked_at
         FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
        [tokenHash],
      );
      const row = rows[0];
      if (!row) return undefined;
      return {
        id: row.id,
        userId: row.user_id,
        familyId: row.family_id,
        expiresAt: row.expires_at,
        usedAt: row.used_at,
        revokedAt: row.revoked_at,
      };
    },

    async markUsed(id: string): Promise<void> {
      await db.query('UPDATE refresh_tokens SET used_at = now() WHERE id = $1', [id]);
    },

    async familyOfAccessToken(jti: string): Promise<string | undefined> {
      const { rows } = await db.query<{ family_id: string }>(
        'SELECT family_id FROM refresh_tokens WHERE access_jti = $1 LIMIT 1',
        [jti],
      );
      return rows[0]?.family_id;
    },

    /** Revokes every token of the family; returns the access tokens issued with them that are still alive. */
    async revokeFamily(familyId: string): Promise<IssuedAccessToken[]> {
      await db.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [
        familyId,
      ]);
      const { rows } = await db.query<{ access_jti: string; access_expires_at: Date }>(
        `SELECT access_jti, access_expires_at FROM refresh_tokens
         WHERE family_id = $1 AND access_expires_at > now()`,
        [familyId],
      );
      return rows.map((row) => ({ jti: row.access_jti, expiresAt: row.access_expires_at }));
    },
  };
}

export type RefreshTokenRepository = ReturnType<typeof createRefreshTokenRepository>;
