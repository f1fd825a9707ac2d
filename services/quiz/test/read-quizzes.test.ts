import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestUser } from '@learner/common/http';
import { photosynthesis } from './fixtures/study-texts.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function makeQuiz(user: RequestUser, extra: Record<string, unknown> = {}) {
  const doc = await h.documents.add(user, { title: 'Photosynthesis', pages: photosynthesis });
  const res = await request(h.app)
    .post('/api/v1/quizzes/generate')
    .set(h.as(user))
    .send({ document_id: doc.id, num_questions: 4, difficulty: 'easy', ...extra });
  expect(res.status).toBe(201);
  return { quiz: res.body.data as { id: number; questions: Array<{ id: number }> }, doc };
}

const ANSWER_FIELDS = /"(?:correct_answer|correct_option_id|explanation|source|source_sentence|answer)"/;

describe('reading a quiz', () => {
  it('never shows the answers, whatever the query asks', async () => {
    const user = h.newUser();
    const { quiz } = await makeQuiz(user);
    for (const query of ['', '?include_answers=true', '?answers=1', '?reveal=true&show_solutions=yes', '?fields=correct_answer']) {
      const res = await request(h.app).get(`/api/v1/quizzes/${quiz.id}${query}`).set(h.as(user));
      expect(res.status).toBe(200);
      expect(res.body.data.questions).toHaveLength(4);
      expect(JSON.stringify(res.body)).not.toMatch(ANSWER_FIELDS);
    }
  });

  it('still hides the answers after the quiz was submitted', async () => {
    const user = h.newUser();
    const { quiz } = await makeQuiz(user);
    const submitted = await request(h.app).post(`/api/v1/quizzes/${quiz.id}/submit`).set(h.as(user)).send({ answers: {} });
    expect(submitted.status).toBe(201);
    const res = await request(h.app).get(`/api/v1/quizzes/${quiz.id}?include_answers=true`).set(h.as(user));
    expect(JSON.stringify(res.body)).not.toMatch(ANSWER_FIELDS);
  });

  it('answers 404 for another user’s quiz, a missing one and an id that is not a number', async () => {
    const owner = h.newUser();
    const { quiz } = await makeQuiz(owner);
    const other = h.newUser();
    for (const path of [`/api/v1/quizzes/${quiz.id}`, '/api/v1/quizzes/987654', '/api/v1/quizzes/abc', '/api/v1/quizzes/99999999999']) {
      const res = await request(h.app).get(path).set(h.as(other));
      expect(res.status).toBe(404);
      expect(res.body.error).toBe('NotFound');
    }
  });
});

describe('listing quizzes', () => {
  it('lists only the caller’s quizzes, newest first, a page at a time', async () => {
    const user = h.newUser();
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await makeQuiz(user, { title: `Quiz ${i}` })).quiz.id);
    await makeQuiz(h.newUser());
    const first = await request(h.app).get('/api/v1/quizzes?limit=2').set(h.as(user));
    expect(first.status).toBe(200);
    expect(first.body.pagination).toEqual({ page: 1, limit: 2, total: 3, pages: 2 });
    expect(first.body.data.map((q: { id: number }) => q.id)).toEqual([made[2], made[1]]);
    expect(first.body.data[0]).toMatchObject({ title: 'Quiz 2', total_questions: 4, difficulty: 'easy' });
    expect(first.body.data[0].questions).toBeUndefined();
    const second = await request(h.app).get('/api/v1/quizzes?limit=2&page=2').set(h.as(user));
    expect(second.body.data.map((q: { id: number }) => q.id)).toEqual([made[0]]);
  });

  it('filters by document', async () => {
    const user = h.newUser();
    const { doc, quiz } = await makeQuiz(user);
    await makeQuiz(user);
    const res = await request(h.app).get(`/api/v1/quizzes?document_id=${doc.id}`).set(h.as(user));
    expect(res.body.data.map((q: { id: number }) => q.id)).toEqual([quiz.id]);
  });

  it('answers 400 for a page or limit out of range', async () => {
    const user = h.newUser();
    for (const query of ['?page=0', '?limit=101', '?limit=abc', '?document_id=-1']) {
      const res = await request(h.app).get(`/api/v1/quizzes${query}`).set(h.as(user));
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('ValidationError');
    }
  });
});

describe('deleting a quiz', () => {
  it('deletes the caller’s quiz with its submissions, after which it is gone', async () => {
    const user = h.newUser();
    const { quiz } = await makeQuiz(user);
    await request(h.app).post(`/api/v1/quizzes/${quiz.id}/submit`).set(h.as(user)).send({ answers: {} });
    const res = await request(h.app).delete(`/api/v1/quizzes/${quiz.id}`).set(h.as(user));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ id: quiz.id, deleted: true });
    expect((await request(h.app).get(`/api/v1/quizzes/${quiz.id}`).set(h.as(user))).status).toBe(404);
    expect((await request(h.app).get(`/api/v1/quizzes/${quiz.id}/results`).set(h.as(user))).status).toBe(404);
    expect((await request(h.app).delete(`/api/v1/quizzes/${quiz.id}`).set(h.as(user))).status).toBe(404);
    const left = await h.db.pool.query('SELECT 1 FROM quiz_submissions WHERE quiz_id = $1', [quiz.id]);
    expect(left.rowCount).toBe(0);
  });

  it('answers 404 to another user and leaves the quiz in place', async () => {
    const owner = h.newUser();
    const { quiz } = await makeQuiz(owner);
    const res = await request(h.app).delete(`/api/v1/quizzes/${quiz.id}`).set(h.as(h.newUser()));
    expect(res.status).toBe(404);
    expect((await request(h.app).get(`/api/v1/quizzes/${quiz.id}`).set(h.as(owner))).status).toBe(200);
  });
});
