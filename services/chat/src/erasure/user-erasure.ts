import { onUserDeleted } from '@learner/common/contracts';
import type { EventConsumer } from '@learner/common/events';

/**
 * The chat service's part of an account erasure, on user.deleted. Everything it keeps of a user is
 * in rows keyed by user_id (sessions, messages, deleted-document marks), which the common handler
 * deletes. An answer being stored locks its session, so it either commits first and goes with the
 * rest, or finds the session gone and answers 404.
 */
export function registerUserErasure(events: Pick<EventConsumer, 'on'>): void {
  onUserDeleted(events, 'chat', async () => undefined);
}
