import { randomUUID } from 'node:crypto';
import type { AccessClaims } from '@learner/common/auth';
import {
  ERASURE_SERVICES,
  confirmErasure,
  markUserErased,
  onErasureConfirmed,
  type ErasureConfirmedPayload,
  type ErasureService,
} from '@learner/common/contracts';
import { withTransaction, type Pool, type Queryable } from '@learner/common/db';
import { NotFoundError, UnauthenticatedError } from '@learner/common/errors';
import { TOPICS, createEvent, enqueueEvent, type EventConsumer } from '@learner/common/events';
import type { TrafficControls } from '../traffic/traffic-controls.js';
import { verifyPassword } from './password-hasher.js';

export interface ErasureStatus {
  erasure_id: string;
  status: 'pending' | 'completed';
  requested_at: string;
  completed_at: string | null;
  services: { service: ErasureService; status: 'pending' | 'confirmed'; confirmed_at: string | null }[];
}

/** Where an erasure's progress is read; it needs no token, the account being gone. */
export const erasureStatusPath = (erasureId: string): string => `/api/v1/auth/erasures/${erasureId}`;

async function recordConfirmation(db: Queryable, confirmed: ErasureConfirmedPayload): Promise<void> {
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
  // Every service has it: the user.deleted event, which names the user, need not be kept any longer.
  await db.query(`DELETE FROM outbox WHERE topic = $1 AND payload -> 'payload' ->> 'erasure_id' = $2`, [
    TOPICS.userDeleted,
    confirmed.erasure_id,
  ]);
}

/**
 * Erasing an account (GDPR Art. 17): the gateway removes the account, its refresh tokens and its
 * rate-limit entry and kills its access tokens at once, then tells every service by user.deleted
 * (through the outbox, so a Kafka outage delays it and loses nothing). Each service erases what it
 * keeps of the user and confirms with erasure.confirmed; the receipt shows the progress.
 */
export function createAccountErasure(deps: { pool: Pool; traffic: Pick<TrafficControls, 'revoke' | 'forget'> }) {
  const { pool, traffic } = deps;
  return {
    async erase(claims: AccessClaims, password: string): Promise<ErasureStatus> {
      const erasureId = randomUUID();
      const outcome = await withTransaction(pool, async (db) => {
        const { rows } = await db.query<{ password_hash: string }>(
          'SELECT password_hash FROM users WHERE id = $1 FOR UPDATE',
          [claims.user_id],
        );
        const hash = rows[0]?.password_hash;
        if (!hash) return { kind: 'gone' as const };
        if (!(await verifyPassword(password, hash))) return { kind: 'wrong_password' as const };
        const tokens = await db.query<{ access_jti: string; access_expires_at: Date }>(
          'SELECT access_jti, access_expires_at FROM refresh_tokens WHERE user_id = $1 AND access_expires_at > now()',
          [claims.user_id],
        );
        await db.query('INSERT INTO erasures (id) VALUES ($1)', [erasureId]);
        await markUserErased(db, claims.user_id);
        // Refresh tokens go with the account (ON DELETE CASCADE); the email is free for a new account.
        await db.query('DELETE FROM users WHERE id = $1', [claims.user_id]);
        // The gateway's own part is done in this transaction: it confirms like any other service.
        await confirmErasure(db, { userId: claims.user_id, erasureId, service: 'gateway' });
        await recordConfirmation(db, { erasure_id: erasureId, service: 'gateway' });
        await enqueueEvent(
          db,
          TOPICS.userDeleted,
          createEvent({ type: TOPICS.userDeleted, userId: claims.user_id, service: 'gateway', payload: { erasure_id: erasureId } }),
        );
        return { kind: 'erased' as const, access: tokens.rows };
      });
      if (outcome.kind === 'gone') throw new UnauthenticatedError('The account of this token no longer exists');
      if (outcome.kind === 'wrong_password') {
        throw new UnauthenticatedError('The password is not correct', { password: 'does not match the account' });
      }
      await Promise.all([
        traffic.revoke(claims.jti, claims.exp * 1000),
        ...outcome.access.map((t) => traffic.revoke(t.access_jti, t.access_expires_at.getTime())),
      ]);
      await traffic.forget(`rl:user:${claims.user_id}`);
      return this.status(erasureId);
    },

    async status(erasureId: string): Promise<ErasureStatus> {
      const { rows } = await pool.query<{ requested_at: Date; completed_at: Date | null }>(
        'SELECT requested_at, completed_at FROM erasures WHERE id = $1',
        [erasureId],
      );
      const erasure = rows[0];
      if (!erasure) throw new NotFoundError('No such erasure', { erasure_id: erasureId });
      const confirmations = await pool.query<{ service: string; confirmed_at: Date }>(
        'SELECT service, confirmed_at FROM erasure_confirmations WHERE erasure_id = $1',
        [erasureId],
      );
      const confirmedAt = new Map(confirmations.rows.map((row) => [row.service, row.confirmed_at.toISOString()]));
      return {
        erasure_id: erasureId,
        status: erasure.completed_at ? 'completed' : 'pending',
        requested_at: erasure.requested_at.toISOString(),
        completed_at: erasure.completed_at?.toISOString() ?? null,
        services: ERASURE_SERVICES.map((service) => {
          const at = confirmedAt.get(service);
          return { service, status: at ? 'confirmed' : 'pending', confirmed_at: at ?? null };
        }),
      };
    },
  };
}

export type AccountErasure = ReturnType<typeof createAccountErasure>;

/** Records each service's confirmation; the last one completes the erasure. */
export function registerErasureConfirmations(events: Pick<EventConsumer, 'on'>): void {
  onErasureConfirmed(events, (confirmed, db) => recordConfirmation(db, confirmed));
}
