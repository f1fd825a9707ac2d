import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS, createEvent, createInProcessBus, createInProcessEventConsumer, type InProcessBus } from '@learner/common/events';
import type { RequestUser } from '@learner/common/http';
import { silentLogger } from '@learner/common/logger';
import { registerUserErasure } from '../src/erasure/user-erasure.js';
import { photosynthesis } from './fixtures/study-texts.js';
import { startHarness, type Harness } from './harness.js';

/*
 * The quiz service's part of an account erasure, through the consumer's real delivery (processed
 * events, retries) on the in-process bus, the same handler Kafka delivers to.
 */
let h: Harness;
let bus: InProcessBus;
beforeAll(async () => {
  h = await startHarness();
  bus = createInProcessBus();
  const consumer = createInProcessEventConsumer({ name: 'quiz-service', pool: h.db.pool, logger: silentLogger(), bus, maxAttempts: 1 });
  registerUserErasure(consumer);
  await consumer.start();
});
afterAll(async () => {
  await h?.close();
});

const userDeleted = (user: RequestUser, erasureId = randomUUID()) =>
  createEvent({ type: TOPICS.userDeleted, userId: user.id, service: 'gateway', payload: { erasure_id: erasureId } });

async function rowsNaming(user: RequestUser): Promise<number> {
  const { rows } = await h.db.pool.query<{ n: string }>(
    `SELECT (SELECT count(*) FROM quizzes WHERE user_id = $1) + (SELECT count(*) FROM quiz_submissions WHERE user_id = $1)
          + (SELECT count(*) FROM outbox WHERE event_key = $1 OR payload::text LIKE '%' || $1 || '%') AS n`,
    [user.id],
  );
  return Number(rows[0]!.n);
}

async function makeQuizWithResult(user: RequestUser): Promise<number> {
  const doc = await h.documents.add(user, { title: 'Photosynthesis', pages: photosynthesis });
  const quiz = await request(h.app).post('/api/v1/quizzes/generate').set(h.as(user)).send({ document_id: doc.id, num_questions: 3, difficulty: 'easy' });
  expect(quiz.status).toBe(201);
  const answers = Object.fromEntries((quiz.body.data.questions as { id: number }[]).map((q) => [String(q.id), 'a']));
  expect((await request(h.app).post(`/api/v1/quizzes/${quiz.body.data.id}/submit`).set(h.as(user)).send({ answers })).status).toBe(201);
  return quiz.body.data.id as number;
}

describe('user.deleted in the quiz service', () => {
  it('removes the user’s quizzes, results and events, keeps another user’s, and confirms with the erasure id alone', async () => {
    const [ada, bob] = [h.newUser(), h.newUser()];
    await makeQuizWithResult(ada);
    const bobQuiz = await makeQuizWithResult(bob);
    expect(await rowsNaming(ada)).toBeGreaterThan(0);

    const event = userDeleted(ada);
    await bus.publish([{ topic: TOPICS.userDeleted, key: ada.id, event }]);
    expect(await rowsNaming(ada)).toBe(0);
    expect((await request(h.app).get('/api/v1/quizzes').set(h.as(ada))).body.data).toEqual([]);
    expect((await request(h.app).get(`/api/v1/quizzes/${bobQuiz}/results`).set(h.as(bob))).status).toBe(200);
    const confirmations = await h.events(TOPICS.erasureConfirmed);
    expect(confirmations.at(-1)).toMatchObject({ user_id: event.payload.erasure_id, payload: { erasure_id: event.payload.erasure_id, service: 'quiz' } });

    // Delivered again: nothing fails, nothing is erased twice, one confirmation only.
    await bus.publish([{ topic: TOPICS.userDeleted, key: ada.id, event }]);
    expect((await h.events(TOPICS.erasureConfirmed)).filter((e) => e.payload.erasure_id === event.payload.erasure_id)).toHaveLength(1);
    expect(await rowsNaming(ada)).toBe(0);
  });

  it('does not keep a quiz whose questions were being written when the erasure arrived', async () => {
    const ada = h.newUser();
    const doc = await h.documents.add(ada, { title: 'Photosynthesis', pages: photosynthesis });
    h.documents.slowDown(1_500);
    try {
      const generating = request(h.app).post('/api/v1/quizzes/generate').set(h.as(ada)).send({ document_id: doc.id, num_questions: 3, difficulty: 'easy' }).then((res) => res);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await bus.publish([{ topic: TOPICS.userDeleted, key: ada.id, event: userDeleted(ada) }]);
      const res = await generating;
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: 'Unauthorized', message: 'The account was erased' });
    } finally {
      h.documents.slowDown(0);
    }
    expect(await rowsNaming(ada)).toBe(0);
  });
});
