import { ERASURE_SERVICES, type ErasureConfirmedPayload } from '@learner/common/contracts';
import type { Queryable } from '@learner/common/db';
import { TOPICS } from '@learner/common/events';

export interface ErasureRecord {
  id: string;
  requestedAt: Date;
  completedAt: Date | null;
  /** When each service that confirmed did so. */
  confirmations: Map<string, Date>;
}

/** Account erasures and the services' confirmations, and the account rows an erasure removes. */
export function createErasureRepository(db: Queryable) {
  return {
    /** The account's password hash, its row locked until the transaction ends; undefined when the account is gone. */
    async lockPasswordHash(userId: string): Promise<string | undefined> {
      const { rows } = await db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1 FOR UPDATE', [userId]);
      return rows[0]?.password_hash;
    },

    /** The access tokens issued with the account's refresh tokens that have not expired yet. */
    async liveAccessTokens(userId: string): Promise<Array<{ jti: string; expiresAt: Date }>> {
      const { rows } = await db.query<{ access_jti: string; access_expires_at: Date }>(
        'SELECT access_jti, access_expires_at FROM refresh_tokens WHERE user_id = $1 AND access_expires_at > now()',
        [userId],
      );
      return rows.map((row) => ({ jti: row.access_jti, expiresAt: row.access_expires_at }));
    },

    async create(erasureId: string): Promise<void> {
      await db.query('INSERT INTO erasures (id) VALUES ($1)', [erasureId]);
    },

    /** Removes the account; its refresh tokens go with it (ON DELETE CASCADE) and the email is free again. */
    async deleteUser(userId: string): Promise<void> {
      await db.query('DELETE FROM users WHERE id = $1', [userId]);
    },

    /**
     * Records a service's confirmation; the last one completes the erasure and drops its
     * user.deleted event, which names the user, from the outbox.
     */
    async recordConfirmation(confirmed: ErasureConfirmedPayload): Promise<void> {
      await db.query(
        `INSERT INTO erasure_confirmations (erasure_id, service)
         SELECT id, $2 FROM erasures WHERE id = $1
         ON CONFLICT DO NOTHING`,
        [confirmed.erasure_id, confirmed.service],
      );
      const { rows } = await db.query<{ confirmed: string }>(
        'SELECT count(*) AS confirmed FROM erasure_confirmations WHERE erasure_id = $1',
        [confirmed.erasure_id],
      );
      if (Number(rows[0]?.confirmed ?? 0) < ERASURE_SERVICES.length) return;
      await db.query('UPDATE erasures SET completed_at = now() WHERE id = $1 AND completed_at IS NULL', [confirmed.erasure_id]);
      await db.query(`DELETE FROM outbox WHERE topic = $1 AND payload -> 'payload' ->> 'erasure_id' = $2`, [
        TOPICS.userDeleted,
        confirmed.erasure_id,
      ]);
    },

    async find(erasureId: string): Promise<ErasureRecord | undefined> {
      const { rows } = await db.query<{ requested_at: Date; completed_at: Date | null }>(
        'SELECT requested_at, completed_at FROM erasures WHERE id = $1',
        [erasureId],
      );
      const erasure = rows[0];
      if (!erasure) return undefined;
      const confirmations = await db.query<{ service: string; confirmed_at: Date }>(
        'SELECT service, confirmed_at FROM erasure_confirmations WHERE erasure_id = $1',
        [erasureId],
      );
      return {
        id: erasureId,
        requestedAt: erasure.requested_at,
        completedAt: erasure.completed_at,
        confirmations: new Map(confirmations.rows.map((row) => [row.service, row.confirmed_at])),
      };
    },
  };
}

export type ErasureRepository = ReturnType<typeof createErasureRepository>;
