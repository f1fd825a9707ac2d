import { onUserDeleted } from '@learner/common/contracts';
import type { EventConsumer } from '@learner/common/events';

/**
 * The quiz service's part of an account erasure, on user.deleted. Everything it keeps of a user is
 * in rows keyed by user_id (quizzes with their questions, results, deleted-document marks), which
 * the common handler deletes; a quiz still being written then finds the user erased and is not kept.
 */
export function registerUserErasure(events: Pick<EventConsumer, 'on'>): void {
  onUserDeleted(events, 'quiz', async () => undefined);
}
