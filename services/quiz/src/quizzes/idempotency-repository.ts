import type { Queryable } from '@learner/common/db';
import { ConflictError } from '@learner/common/errors';

/** Which quiz an Idempotency-Key of a user named first. */
export function createIdempotencyRepository(db: Queryable) {
  const quizOf = async (userId: string, key: string): Promise<number | undefined> => {
    const { rows } = await db.query<{ quiz_id: number }>('SELECT quiz_id FROM quiz_idempotency_keys WHERE user_id = $1 AND key = $2', [
      userId,
      key,
    ]);
    return rows[0]?.quiz_id;
  };

  return {
    quizOf,

    /**
     * Names `quizId` by the key unless the key already names a quiz; answers the quiz it names.
     * When another request's INSERT of the key commits while this one's waits on it, ON CONFLICT
     * sees that row but a SELECT in the same statement would not (its snapshot is older): the quiz
     * named is read in a statement of its own. That quiz may be deleted meanwhile (its key goes
     * with it), and then the key is claimed again.
     */
    async claim(userId: string, key: string, quizId: number): Promise<number> {
      for (let attempt = 0; attempt < 3; attempt++) {
        const { rows } = await db.query<{ quiz_id: number }>(
          `INSERT INTO quiz_idempotency_keys (user_id, key, quiz_id) VALUES ($1, $2, $3)
           ON CONFLICT (user_id, key) DO NOTHING RETURNING quiz_id`,
          [userId, key, quizId],
        );
        if (rows[0]) return rows[0].quiz_id;
        const named = await quizOf(userId, key);
        if (named !== undefined) return named;
      }
      throw new ConflictError('Another request with this Idempotency-Key keeps changing its quiz; try again', { idempotency_key: key });
    },
  };
}
