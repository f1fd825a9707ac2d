import { randomUUID } from 'node:crypto';
import type { AccessClaims } from '@learner/common/auth';
import { ERASURE_SERVICES, confirmErasure, markUserErased, onErasureConfirmed, type ErasureService as ServiceName } from '@learner/common/contracts';
import { withTransaction, type Pool } from '@learner/common/db';
import { NotFoundError, UnauthenticatedError } from '@learner/common/errors';
import { TOPICS, createEvent, enqueueEvent, type EventConsumer } from '@learner/common/events';
import { verifyPassword } from '../auth/password-hasher.js';
import type { TrafficControls } from '../traffic/traffic-controls.js';
import { createErasureRepository } from './erasure-repository.js';

export interface ErasureStatus {
  erasure_id: string;
  status: 'pending' | 'completed';
  requested_at: string;
  completed_at: string | null;
  services: { service: ServiceName; status: 'pending' | 'confirmed'; confirmed_at: string | null }[];
}

/**
 * Erasing an account (GDPR Art. 17): the gateway removes the account, its refresh tokens and its
 * rate-limit entry and kills its access tokens at once, then tells every service by user.deleted
 * (through the outbox, so a Kafka outage delays it and loses nothing). Each service erases what it
 * keeps of the user and confirms with erasure.confirmed; the receipt shows the progress.
 */
export function createErasureService(deps: { pool: Pool; traffic: Pick<TrafficControls, 'revoke' | 'forget'> }) {
  const { pool, traffic } = deps;
  const erasures = createErasureRepository(pool);
  return {
    async erase(claims: AccessClaims, password: string): Promise<ErasureStatus> {
      const erasureId = randomUUID();
      const outcome = await withTransaction(pool, async (db) => {
        const tx = createErasureRepository(db);
        const hash = await tx.lockPasswordHash(claims.user_id);
        if (!hash) return { kind: 'gone' as const };
        if (!(await verifyPassword(password, hash))) return { kind: 'wrong_password' as const };
        const access = await tx.liveAccessTokens(claims.user_id);
        await tx.create(erasureId);
        await markUserErased(db, claims.user_id);
        await tx.deleteUser(claims.user_id);
        // The gateway's own part is done in this transaction: it confirms like any other service.
        await confirmErasure(db, { userId: claims.user_id, erasureId, service: 'gateway' });
        await tx.recordConfirmation({ erasure_id: erasureId, service: 'gateway' });
        await enqueueEvent(
          db,
          TOPICS.userDeleted,
          createEvent({ type: TOPICS.userDeleted, userId: claims.user_id, service: 'gateway', payload: { erasure_id: erasureId } }),
        );
        return { kind: 'erased' as const, access };
      });
      if (outcome.kind === 'gone') throw new UnauthenticatedError('The account of this token no longer exists');
      if (outcome.kind === 'wrong_password') {
        throw new UnauthenticatedError('The password is not correct', { password: 'does not match the account' });
      }
      await Promise.all([
        traffic.revoke(claims.jti, claims.exp * 1000),
        ...outcome.access.map((t) => traffic.revoke(t.jti, t.expiresAt.getTime())),
      ]);
      await traffic.forget(`rl:user:${claims.user_id}`);
      return this.status(erasureId);
    },

    async status(erasureId: string): Promise<ErasureStatus> {
      const erasure = await erasures.find(erasureId);
      if (!erasure) throw new NotFoundError('No such erasure', { erasure_id: erasureId });
      return {
        erasure_id: erasureId,
        status: erasure.completedAt ? 'completed' : 'pending',
        requested_at: erasure.requestedAt.toISOString(),
        completed_at: erasure.completedAt?.toISOString() ?? null,
        services: ERASURE_SERVICES.map((service) => {
          const at = erasure.confirmations.get(service)?.toISOString();
          return { service, status: at ? 'confirmed' : 'pending', confirmed_at: at ?? null };
        }),
      };
    },
  };
}

export type ErasureService = ReturnType<typeof createErasureService>;

/** Records each service's confirmation; the last one completes the erasure. */
export function registerErasureConfirmations(events: Pick<EventConsumer, 'on'>): void {
  onErasureConfirmed(events, (confirmed, db) => createErasureRepository(db).recordConfirmation(confirmed));
}
