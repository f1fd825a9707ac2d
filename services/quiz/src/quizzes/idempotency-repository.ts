import type { Queryable } from '@learner/common/db';

/** Which quiz an Idempotency-Key of a user named first. */
export function createIdempotencyRepository(db: Queryable) {
  return {
    async quizOf(userId: string, key: string): Promise<number | undefined> {
      const { rows } = await db.query<{ quiz_id: number }>('SELECT quiz_id FROM quiz_idempotency_keys WHERE user_id = $1 AND key = $2', [
        userId,
        key,
      ]);
      return rows[0]?.quiz_id;
    },

    /** Names `quizId` by the key unless the key already names a quiz; answers the quiz it names. */
    async claim(userId: string, key: string, quizId: number): Promise<number> {
      const { rows } = await db.query<{ quiz_id: number }>(
        `WITH added AS (
           INSERT INTO quiz_idempotency_keys (user_id, key, quiz_id) VALUES ($1, $2, $3)
           ON CONFLICT (user_id, key) DO NOTHING RETURNING quiz_id)
         SELECT quiz_id FROM added
         UNION ALL SELECT quiz_id FROM quiz_idempotency_keys WHERE user_id = $1 AND key = $2
         LIMIT 1`,
        [userId, key, quizId],
      );
      return rows[0]!.quiz_id;
    },
  };
}
