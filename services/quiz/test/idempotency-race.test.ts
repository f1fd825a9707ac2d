import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@learner/common/testing';
import { createIdempotencyRepository } from '../src/quizzes/idempotency-repository.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ database: 'quiz', fromDir: import.meta.dirname });
});
afterAll(async () => {
  await db?.drop();
});

async function quizOf(userId: string): Promise<number> {
  const { rows } = await db.pool.query<{ id: number }>(
    `INSERT INTO quizzes (user_id, document_id, title, difficulty, question_types, requested_questions, total_questions, seed, generator)
     VALUES ($1, 1, 'Quiz', 'easy', '{true_false}', 1, 1, 0, 'extractive') RETURNING id`,
    [userId],
  );
  return rows[0]!.id;
}

/** Resolves once a query of the database waits for a lock (the claim waiting on the uncommitted key). */
async function someoneWaitsForALock(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await db.pool.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
    if (rows.length) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('no query waited for a lock');
}

describe('claiming an Idempotency-Key', () => {
  it('answers the quiz a racing request named when that request commits the key while this claim waits on it', async () => {
    const keys = createIdempotencyRepository(db.pool);
    const user = 'user-racing';
    const [first, second] = [await quizOf(user), await quizOf(user)];
    const other = await db.pool.connect();
    try {
      await other.query('BEGIN');
      await other.query('INSERT INTO quiz_idempotency_keys (user_id, key, quiz_id) VALUES ($1, $2, $3)', [user, 'k-1', first]);
      const claiming = keys.claim(user, 'k-1', second);
      await someoneWaitsForALock();
      await other.query('COMMIT');
      expect(await claiming).toBe(first);
    } finally {
      other.release();
    }
  });

  it('names its own quiz when the key is free, and the first quiz named afterwards', async () => {
    const keys = createIdempotencyRepository(db.pool);
    const user = 'user-alone';
    const [first, second] = [await quizOf(user), await quizOf(user)];
    expect(await keys.claim(user, 'k-2', first)).toBe(first);
    expect(await keys.claim(user, 'k-2', second)).toBe(first);
    expect(await keys.quizOf(user, 'k-2')).toBe(first);
  });
});
